/**
 * Shared fixtures of the fleet tests: an hourly view of a demand path (binned with the one
 * capacity-need rule), on-demand prices and a replica trial.
 */
import { DemandBins, type FleetPrice, type HourlyView, type ReplicaTrial } from '../../src/cost/index.js';
import { PEAK_MINUTE_Z } from '../../src/traffic/index.js';

export const HPM = 730;
export const ZR = PEAK_MINUTE_Z * Math.sqrt(60);
export const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

export function view(path: number[], ptm: number | null, gpuFactor?: number[]): { v: HourlyView; bins: DemandBins } {
  const hours = path.length;
  const months = Math.ceil(hours / HPM);
  const p = Float64Array.from(path);
  const need = new Float64Array(hours);
  const bins = new DemandBins(128);
  bins.fill(p, need, hours, Math.min(...path), Math.max(...path), ptm, ZR);
  const gf = Float64Array.from(gpuFactor ?? new Array<number>(months).fill(1));
  const v: HourlyView = {
    path: p,
    need,
    hours,
    months,
    hoursPerMonth: HPM,
    gpuFactor: gf,
    gpuFactorMean: gf.reduce((a, b) => a + b, 0) / months,
    apiMonthPrice: new Float64Array(months).fill(0.01),
    apiPerCallEff: 0.01,
    monthCost: new Float64Array(months),
    monthOverflow: new Float64Array(months),
    provPath: new Float64Array(hours),
    ring: new Float64Array(32),
  };
  return { v, bins };
}
export const onDemand = (perReplicaHour = 2): FleetPrice => ({ pricing: 'on_demand', perReplicaHour, powerPerReplicaHour: 0, capexPerReplica: 0, commitMult: 1 });
export const trial = (K: number, price: FleetPrice, ptm: number | null = 1, ops = 0): ReplicaTrial => ({ K, Kraw: K, price, ptm, zRoot: ZR, opsTotal: ops });
