/**
 * What a fleet policy reads and returns. The trial (src/sim/trial.ts) owns the buffers and
 * fills them once per trial; each policy's exact pass reads them and writes its month sums.
 */
import type { FleetPrice } from './pricing.js';

/** One trial's hours, shared by every option of the trial (common random numbers). */
import type { FleetKernel } from './kernel.js';

export interface HourlyView {
  /** mean demand per hour, requests/hour */
  readonly path: Float64Array;
  /** capacity need per hour (busiest minute), requests/hour: `needOf(path[h])` */
  readonly need: Float64Array;
  readonly hours: number;
  readonly months: number;
  readonly hoursPerMonth: number;
  /** rental-price factor per month (GPU price decline); all 1 without decline */
  readonly gpuFactor: Float64Array;
  /** mean of gpuFactor over the horizon's hours */
  readonly gpuFactorMean: number;
  /** API $ per call per month (price decline applied) */
  readonly apiMonthPrice: Float64Array;
  /** API $ per call over the horizon, demand-weighted: what the break-even search charges */
  readonly apiPerCallEff: number;
  /** out: cash per month (fleet, ops, overflow to the API; owned capex excluded) */
  readonly monthCost: Float64Array;
  /** scratch: overflow calls per month */
  readonly monthOverflow: Float64Array;
  /** scratch: replicas provisioned per hour (autoscale) */
  readonly provPath: Float64Array;
  /** scratch: the autoscale lag ring (32 slots) */
  readonly ring: Float64Array;
  /** the hour passes in WebAssembly, for arrays that live in its memory (kernel.ts); absent: JavaScript */
  readonly kernel?: FleetKernel | null;
}

/** One option in one trial: what a replica serves and costs. */
export interface ReplicaTrial {
  /** requests/hour one replica serves within the SLO (sizing capacity) */
  K: number;
  /** requests/hour one replica serves at full batch (utilisation denominator) */
  Kraw: number;
  price: FleetPrice;
  /** peak-to-mean factor, or null for the Poisson busiest minute */
  ptm: number | null;
  /** z·√60 of the Poisson busiest-minute rule */
  zRoot: number;
  /** operations cost over the horizon, $ */
  opsTotal: number;
}

/**
 * An exact pass's hour loop kept for options that repeat it (sim/trial.ts: options that differ
 * only in pricing have the same capacity, so the same loop): with `reuse`, the pass takes
 * `acc` (the loop's totals) and copies `months` (and an autoscaled fleet's `hours`) back into
 * the view instead of running the hours; without, it runs them and keeps those here. The loop
 * depends on the demand, the need, the capacity and the rule, never the price; the pricing
 * after it runs either way. O(hours) to copy an autoscaled fleet's replicas per hour, else
 * O(months).
 */
export interface KeptPass {
  reuse: boolean;
  /** the loop's totals (the pass's own order) */
  acc: Float64Array;
  /** per month: an autoscaled fleet's replica-hours, a hybrid's overflow calls (a fixed fleet's: unused) */
  months: Float64Array;
  /** an autoscaled fleet's replicas per hour (v.provPath); empty for the others */
  hours: Float64Array;
}

/** What an exact pass over the hours returns. */
export interface ExactFleet {
  /** total cost over the horizon, $ (economic convention, see pricing.ts) */
  cost: number;
  /** served / offered capacity (raw) */
  utilisation: number;
  /** hours whose busiest minute exceeds the provisioned SLO capacity */
  violations: number;
  /** calls sent to the API */
  overflow: number;
  /** hours in which some calls were sent to the API (hybrid): the hours a fixed fleet of the same size counts as violations */
  overflowHours: number;
  /** most replicas at once (what you buy or commit to) */
  peak: number;
  /** mean replicas provisioned */
  meanReplicas: number;
  /** replica start-ups (autoscale) */
  coldIncrements: number;
  /** replicas every hour, or NaN when they vary by hour (then in provPath) */
  fleet: number;
  /** requests/hour the fleet serves per replica before sending the rest on (utilisation by hour) */
  servePerReplica: number;
  /** mean rental-price factor of the provisioned replica-hours */
  priceFactor: number;
}
