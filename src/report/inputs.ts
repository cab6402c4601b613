/**
 * Input paths (`traffic.requests_per_day`, `hardware.h100-sxm.price_per_gpu_hour.spot`) in
 * words with units, for the tornado chart and `compare`, and which inputs can move a given
 * option at all (an A100 price cannot move an H100 option; a spot price only a spot one).
 * Table lookups, O(1) per path.
 */
import type { OptionResult } from '../sim/result.js';

/** Workload fields in words, with their units. */
const WORDS: Record<string, string> = {
  'traffic.requests_per_day': 'Requests per day (calls/day)',
  'traffic.input_tokens': 'Input tokens per request',
  'traffic.output_tokens': 'Output tokens per request',
  'traffic.growth_monthly': 'Traffic growth (share per month)',
  'traffic.noise.cv': 'Hourly traffic noise (coefficient of variation)',
  'traffic.noise.autocorrelation': 'Hour-to-hour noise correlation',
  'traffic.bursts.rate_per_month': 'Traffic bursts (per month)',
  'traffic.bursts.size': 'Burst size (× normal traffic)',
  'traffic.bursts.duration_hours': 'Burst duration (hours)',
  'traffic.peak_to_mean': 'Busiest minute vs hourly mean (×)',
  'api_pricing.cache_hit_rate': 'API prompt-cache hit share',
  'api_pricing.cache_write_rate': 'API prompt-cache write share',
  'api_pricing.batch_share': 'Share sent to the batch API',
  'api_pricing.retry_overhead': 'API retry overhead (share)',
  'api_pricing.price_decline_annual': 'API price decline (share per year)',
  'api_pricing.long_context_share': 'Share of long-context requests',
  'self_hosted.engine_efficiency': 'Serving-engine efficiency (share of model throughput)',
  'self_hosted.ops_cost_per_month': 'Operations cost ($/month)',
  'self_hosted.power.usd_per_kwh': 'Electricity price ($/kWh)',
  'self_hosted.power.pue': 'Data-centre PUE (×)',
  'self_hosted.power.residual_value': 'Resale value at end of amortisation (share of purchase price)',
};

const HARDWARE_FIELDS: Record<string, string> = {
  'price_per_gpu_hour.on_demand': 'on-demand price ($/GPU-hour)',
  'price_per_gpu_hour.spot': 'spot price ($/GPU-hour)',
  'price_per_gpu_hour.reserved': 'reserved price ($/GPU-hour)',
  spot_interruption_rate: 'spot interruptions (per GPU-hour)',
  capex_per_gpu_usd: 'purchase price ($/GPU)',
  power_w: 'power draw (W/GPU)',
};

/** `hardware.<gpu>.<field>` split; null for other paths. */
function hardwarePath(path: string): { gpu: string; field: string } | null {
  const m = /^hardware\.([^.]+)\.(.+)$/.exec(path);
  return m ? { gpu: m[1]!, field: m[2]! } : null;
}

/**
 * An input path in words with its unit: "H100 SXM spot price ($/GPU-hour)",
 * "Requests per day (calls/day)". Unknown paths come back as written. `gpuName` maps a GPU
 * id to its display name (defaults to the id).
 */
export function inputWords(path: string, gpuName: (id: string) => string = (id) => id): string {
  const known = WORDS[path];
  if (known !== undefined) return known;
  const hw = hardwarePath(path);
  if (hw !== null) return `${gpuName(hw.gpu)} ${HARDWARE_FIELDS[hw.field] ?? hw.field.replace(/_/g, ' ')}`;
  return path;
}

/**
 * Whether input `path` can move option `o`'s cost at all: hardware inputs only for the
 * option's own GPU, and of those the spot price and interruption rate only for spot, the
 * reserved price only for reserved, purchase price and power only for owned; power inputs
 * only for owned hardware. Every other input (traffic, API, ops) moves every option.
 */
export function movesOption(path: string, o: Pick<OptionResult, 'gpu' | 'pricing'>): boolean {
  const hw = hardwarePath(path);
  if (hw !== null) {
    if (hw.gpu !== o.gpu) return false;
    if (hw.field === 'price_per_gpu_hour.spot' || hw.field === 'spot_interruption_rate') return o.pricing === 'spot';
    if (hw.field === 'price_per_gpu_hour.reserved') return o.pricing === 'reserved';
    if (hw.field === 'price_per_gpu_hour.on_demand') return o.pricing === 'on_demand' || o.pricing === 'spot';
    if (hw.field === 'capex_per_gpu_usd' || hw.field === 'power_w') return o.pricing === 'owned';
    return true;
  }
  if (path.startsWith('self_hosted.power.')) return o.pricing === 'owned';
  return true;
}
