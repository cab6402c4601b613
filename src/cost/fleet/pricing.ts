/**
 * One pricing rule for every fleet policy (DESIGN §4): what a fleet costs given the replicas
 * it provisions each month and the most it ever provisions (its peak).
 *
 *   on_demand, spot  Σ_m provisioned replica-hours_m × $/replica-hour × f_m
 *                    (f_m = GPU rental price decline, the API's decline rule: (1-g)^((m+½)/12))
 *   reserved         peak × $/replica-hour × hours × commit  (the commitment covers the peak
 *                    all the time; the rate is fixed when committing, so no decline; commit =
 *                    ⌈horizon/term⌉·term / horizon: a term that does not divide the horizon is
 *                    paid whole, never pro-rated)
 *   owned            peak × capex share × hours + Σ provisioned replica-hours × power $/h
 *                    (capex share = capex·(1-residual) / amortisation hours: the horizon's share
 *                    of depreciation; you buy the peak fleet, power is paid while it runs)
 *
 * Conventions, stated once (README "Fleet economics" and the report's methodology):
 *   cost (total, per month, per M tokens, break-even)  economic: owned hardware counts its
 *     depreciation over the horizon, reserved counts every term begun;
 *   cumulative cash and payback                        cash: owned pays the full capex of the
 *     peak fleet in month 0, then power and ops; reserved pays its commitment evenly.
 *
 * The exact hourly passes and the break-even search both call `fleetCost`, so they cannot
 * price a fleet two ways. O(1).
 */

export type Pricing = 'on_demand' | 'spot' | 'reserved' | 'owned';

export interface FleetPrice {
  pricing: Pricing;
  /** $ per replica-hour at month 0: the rental rate, or for owned the depreciation share + power */
  perReplicaHour: number;
  /** owned: power $ per replica-hour (part of perReplicaHour); 0 otherwise */
  powerPerReplicaHour: number;
  /** owned: cash capex per replica, paid up front; 0 otherwise */
  capexPerReplica: number;
  /** reserved: ⌈horizon/term⌉·term / horizon; 1 otherwise */
  commitMult: number;
}

/** Multiplier for whole reserved terms: ⌈months/term⌉·term / months (≥ 1). O(1). */
export function reservedCommitMultiplier(termMonths: number, horizonMonths: number): number {
  return (Math.ceil(horizonMonths / termMonths - 1e-12) * termMonths) / horizonMonths;
}

/** Owned hardware, $ per replica-hour: depreciation share plus power. O(1). */
export function ownedReplicaHour(capexPerReplica: number, residualValue: number, amortisationHours: number, powerPerReplicaHour: number): number {
  return (capexPerReplica * (1 - residualValue)) / amortisationHours + powerPerReplicaHour;
}

/** Does the rental rate follow the GPU price decline? (on-demand and spot do; reserved is fixed at commitment, owned at purchase) */
export function followsGpuDecline(pricing: Pricing): boolean {
  return pricing === 'on_demand' || pricing === 'spot';
}

/**
 * Fleet cost over the horizon. `provHours`: replica-hours provisioned; `priceFactor`: their
 * mean rental-price factor (Σ_m prov_m·f_m / Σ_m prov_m; 1 without decline); `peak`: most
 * replicas at once; `hours`: the horizon. O(1).
 */
export function fleetCost(p: FleetPrice, peak: number, provHours: number, priceFactor: number, hours: number): number {
  switch (p.pricing) {
    case 'reserved':
      return peak * p.perReplicaHour * hours * p.commitMult;
    case 'owned':
      return peak * (p.perReplicaHour - p.powerPerReplicaHour) * hours + provHours * p.powerPerReplicaHour;
    default:
      return provHours * p.perReplicaHour * priceFactor;
  }
}

/**
 * Cash paid in one month (excluding owned capex, paid up front). `provMonth`: replica-hours
 * that month; `factor`: that month's rental-price factor; `hoursPerMonth`. Summed over the
 * months it equals `fleetCost` for every pricing but owned, whose depreciation is not cash
 * (its cash is the capex, once). O(1).
 */
export function fleetCashMonth(p: FleetPrice, peak: number, provMonth: number, factor: number, hoursPerMonth: number): number {
  switch (p.pricing) {
    case 'reserved':
      return peak * p.perReplicaHour * hoursPerMonth * p.commitMult;
    case 'owned':
      return provMonth * p.powerPerReplicaHour;
    default:
      return provMonth * p.perReplicaHour * factor;
  }
}

/** Cash paid up front: the capex of the peak fleet (owned), else 0. O(1). */
export function upfrontCash(p: FleetPrice, peak: number): number {
  return p.pricing === 'owned' ? peak * p.capexPerReplica : 0;
}
