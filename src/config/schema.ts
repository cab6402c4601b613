/**
 * The schema of every config file kind, in one place (zod 4). The JSON Schemas under
 * `schemas/` are generated from these (`npm run schemas`), so editors and `breakeven validate`
 * agree.
 *
 * File kinds (the `kind` field): `hardware` (one GPU profile), `models` (model catalog),
 * `apis` (API price catalog), `workload` (a scenario), `measurements` (calibration points).
 *
 * Numbers may be written as mathjs expressions (`"5000 * 1.2"`), evaluated by `expr.ts`
 * with no access to JavaScript. Uncertain inputs (`dist(...)`) accept a number, an
 * expression, a 90 % interval `"low to high"` (lognormal when low > 0, else normal), or an
 * object `{type: ..., ...}`.
 */
import { z } from 'zod';
import { evaluateNumber } from './expr.js';
import { makeDist } from './make-dist.js';
import type { DistSpec } from '../distributions/index.js';
import { checkRange, type Range } from './range.js';
export type { Range } from './range.js';

// ---------------------------------------------------------------- field documentation

/**
 * What each numeric field accepts, for the generated field reference (docs/config.md):
 * `num()` and `dist()` register their schema here with the field's range.
 */
const NUMERIC_FIELDS = new WeakMap<object, { kind: 'number' | 'dist'; range: Range }>();

/** The numeric kind and range of a field made by `num()` or `dist()` (through doc()'s copies); undefined otherwise. */
export function numericField(s: z.ZodType): { kind: 'number' | 'dist'; range: Range } | undefined {
  return NUMERIC_FIELDS.get(s._zod.def);
}

/**
 * Document a field: `description` (say the unit) and an `example` value as a user writes
 * it. Both go into the JSON Schemas (`description`, `examples`: editors show them on hover)
 * and into docs/config.md's field reference, generated from the same schema.
 */
export function doc<T extends z.ZodType>(schema: T, description: string, example?: unknown): T {
  return schema.meta(example === undefined ? { description } : { description, examples: [example] });
}

// ---------------------------------------------------------------- numbers and distributions

/** A number, or a mathjs expression string evaluating to one, within `range`. */
export function num(range: Range = {}) {
  const schema = z
    .union([z.number(), z.string()])
    .transform((v, ctx) => {
      const r = typeof v === 'number' ? { ok: true as const, value: v } : evaluateNumber(v);
      if (!r.ok) {
        ctx.addIssue({ code: 'custom', message: r.message });
        return z.NEVER;
      }
      const bad = checkRange(r.value, range);
      if (bad) {
        ctx.addIssue({ code: 'custom', message: bad });
        return z.NEVER;
      }
      return r.value;
    });
  NUMERIC_FIELDS.set(schema._zod.def, { kind: 'number', range });
  return schema;
}

const src = { source: z.string().optional(), note: z.string().optional() };

/** Object forms of a distribution, before range checks (parameters may be expressions). */
export const DistObject = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('point'), value: num(), ...src }),
  z.strictObject({ type: z.literal('uniform'), min: num(), max: num(), ...src }),
  z.strictObject({
    type: z.literal('normal'),
    mean: num().optional(),
    sd: num({ min: 0 }).optional(),
    low: num().optional(),
    high: num().optional(),
    ...src,
  }),
  z.strictObject({
    type: z.literal('lognormal'),
    mu: num().optional(),
    sigma: num({ min: 0 }).optional(),
    low: num({ gt: 0 }).optional(),
    high: num({ gt: 0 }).optional(),
    ...src,
  }),
  z.strictObject({ type: z.literal('triangular'), min: num(), mode: num(), max: num(), ...src }),
  z.strictObject({
    type: z.literal('pert'),
    min: num(),
    mode: num(),
    max: num(),
    lambda: num({ gt: 0 }).optional(),
    ...src,
  }),
  z.strictObject({
    type: z.literal('beta'),
    alpha: num({ gt: 0 }),
    beta: num({ gt: 0 }),
    min: num().optional(),
    max: num().optional(),
    ...src,
  }),
  z.strictObject({ type: z.literal('gamma'), shape: num({ gt: 0 }), scale: num({ gt: 0 }), ...src }),
  z.strictObject({ type: z.literal('empirical'), values: z.array(num()).min(1), ...src }),
]);
export type DistObject = z.output<typeof DistObject>;

/**
 * An uncertain input: number | expression | "low to high" | {type: ...}. Validated for
 * shape here; parameter consistency (low < high, mode within [min, max]) and the field's
 * range are checked when the distribution is built (`config/make-dist.ts`), which knows the range.
 */
export const DistInput = z.union([z.number(), z.string(), DistObject]);
export type DistInput = z.output<typeof DistInput>;

/**
 * An uncertain input within the field's valid range, resolved to a checked distribution
 * (`config/make-dist.ts`): errors such as low > high are reported at the field's path.
 */
export function dist(range: Range) {
  const schema = DistInput.transform((v, ctx): DistSpec => {
    const r = makeDist(v, range);
    if (!r.ok) {
      ctx.addIssue({ code: 'custom', message: r.message });
      return z.NEVER;
    }
    return r.value;
  });
  NUMERIC_FIELDS.set(schema._zod.def, { kind: 'dist', range });
  return schema;
}

// ------------------------------------------------------------------------------ shared parts

export const Id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'must be a lower-case id (letters, digits, ".", "_", "-")');

export const WeightFormat = z.enum(['bf16', 'fp16', 'fp8', 'int8', 'int4']);
export type WeightFormat = z.output<typeof WeightFormat>;
export const KvFormat = z.enum(['bf16', 'fp16', 'fp8']);
export type KvFormat = z.output<typeof KvFormat>;
/** Compute formats with a tensor-core peak in a hardware profile. */
export const ComputeFormat = z.enum(['bf16', 'fp16', 'fp8', 'int8', 'int4']);

const Source = z.string().min(1);

const perFormat = <T extends z.ZodType>(t: T) =>
  z.strictObject({
    bf16: doc(t.optional(), 'bfloat16 (16-bit) value.'),
    fp16: doc(t.optional(), 'float16 value.'),
    fp8: doc(t.optional(), 'FP8 (W8A8) value; Hopper, Ada and MI300 have it, Ampere does not.'),
    int8: doc(t.optional(), 'INT8 (W8A8) value.'),
    int4: doc(t.optional(), 'INT4 value (weight-only W4A16 kernels compute at the bf16 rate).'),
  });

// ---------------------------------------------------------------------------- hardware

export const Int4Kernel = z.enum(['tinygemm', 'marlin']);

export const Efficiency = z.strictObject({
  weights_stream: doc(perFormat(num({ gt: 0, max: 1 })), 'Share of peak memory bandwidth achieved streaming weights, per weight format (0 to 1).', { bf16: 0.85, fp8: 0.8 }),
  kv_read: doc(num({ gt: 0, max: 1 }), 'Share of peak memory bandwidth achieved reading the KV cache (0 to 1).', 0.7),
  compute: doc(perFormat(num({ gt: 0, max: 1 })), 'Share of the dense tensor peak achieved by decode GEMMs, per compute format (0 to 1).', { bf16: 0.6, fp8: 0.55 }),
  prefill: doc(perFormat(num({ gt: 0, max: 1 })), 'Share of the dense tensor peak achieved by prefill, per compute format (0 to 1).', { bf16: 0.7, fp8: 0.6 }),
  step_overhead_ms: doc(num({ min: 0 }), 'Fixed time per decode step: kernel launches, sampling (ms).', 1.2),
  int4_batch_knee: doc(num({ gt: 0 }).optional(), 'int4 weight-only kernel: batch up to which the 4-bit weight read keeps its gain (sequences).', 16),
});

export const Calibration = z.strictObject({
  fitted_on: doc(z.string(), 'Measurement file the efficiencies were fitted to.', 'h100-sxm-measured.json'),
  date: doc(z.string(), 'When the fit was made (YYYY-MM-DD).', '2026-11-23'),
  points_fitted: doc(num({ min: 0, int: true }), 'Measurement points used in the fit (count).', 7),
  points_held_out: doc(num({ min: 0, int: true }), 'Points left out to check the fit (count).', 0),
  median_abs_error: doc(num({ min: 0 }), 'Median |predicted/measured - 1| over the fitted points (share).', 0.03),
  max_abs_error: doc(num({ min: 0 }), 'Largest |predicted/measured - 1| over the fitted points (share).', 0.2),
  held_out_median_abs_error: doc(num({ min: 0 }).optional(), 'Median error on held-out points (share).', 0.05),
  held_out_max_abs_error: doc(num({ min: 0 }).optional(), 'Largest error on held-out points (share).', 0.25),
  note: doc(z.string().optional(), 'How the errors were computed, in words.'),
});

export const PriceModes = z.strictObject({
  on_demand: doc(dist({ gt: 0 }), 'On-demand rental price ($/GPU-hour), with its source.', '2 to 4.5'),
  spot: doc(dist({ gt: 0 }).optional(), 'Spot price ($/GPU-hour); needed by options with pricing: spot.', '1 to 2.5'),
  reserved: doc(dist({ gt: 0 }).optional(), 'Reserved (committed) price ($/GPU-hour); needed by options with pricing: reserved.', '1.8 to 2.6'),
});

export const Hardware = z.strictObject({
  $schema: doc(z.string().optional(), 'Path or URL of this file\'s JSON Schema, for editors.', '../schemas/hardware.schema.json'),
  kind: doc(z.literal('hardware'), 'File kind: always "hardware".', 'hardware'),
  id: doc(Id, 'GPU id, referred to by workload options (lower case).', 'h100-sxm'),
  name: doc(z.string().min(1), 'Display name in reports.', 'NVIDIA H100 SXM 80GB'),
  vendor: doc(z.string().optional(), 'Maker.', 'NVIDIA'),
  memory_gb: doc(num({ gt: 0 }), 'Memory per GPU (GB, 10^9 bytes).', 80),
  memory_bandwidth_tbps: doc(num({ gt: 0 }), 'Peak memory bandwidth per GPU (TB/s).', 3.35),
  peak_tflops: doc(perFormat(num({ gt: 0 })), 'Dense tensor peaks per compute format (TFLOPS; TOPS for int formats), no sparsity. A format left out has no native tensor rate on this GPU: options using it are emulated (weight-only, at the bf16 rate) with a warning.', { bf16: 989, fp8: 1979, int8: 1979 }),
  interconnect_gbps: doc(num({ gt: 0 }), 'Per-GPU all-reduce bandwidth: NVLink, Infinity Fabric or PCIe (GB/s).', 450),
  allreduce_latency_us: doc(num({ min: 0 }).optional(), 'Latency of one all-reduce (microseconds).', 8),
  gpus_per_node: doc(num({ min: 1, max: 64, int: true }), 'GPUs per server (count).', 8),
  int4_kernel: doc(Int4Kernel, 'int4 weight-only kernel family: tinygemm (gain collapses beyond batch ~8) or marlin (keeps it to batch ~16-32).', 'marlin'),
  memory_reserve_fraction: doc(num({ min: 0, max: 0.9 }), 'Share of memory the serving engine keeps back: fragmentation, CUDA context (0 to 0.9).', 0.1),
  workspace_gb: doc(num({ min: 0 }), 'Activation and workspace memory per GPU (GB).', 4),
  efficiency: doc(Efficiency, 'Achieved shares of the datasheet peaks, per format (fitted by breakeven calibrate).'),
  efficiency_transferred_from: doc(
    Id.optional(),
    'A GPU without measurements of its own: the calibrated profile whose efficiency factors it carries (the transfer rule, docs/perf.md; a test pins the copy to its source).',
    'h100-sxm',
  ),
  price_per_gpu_hour: doc(PriceModes, 'Prices per GPU-hour by pricing model ($/GPU-hour).'),
  reserved_term_months: doc(num({ min: 1, int: true }).optional(), 'Reserved-capacity commitment term (months), paid whether used or not.', 12),
  spot_interruption_rate: doc(dist({ min: 0, max: 1 }).optional(), 'Spot interruptions (per GPU-hour).', 0.02),
  capex_per_gpu_usd: doc(dist({ gt: 0 }).optional(), 'Purchase price per GPU for owned hardware, including its share of the server ($/GPU).', '25000 to 35000'),
  power_w: doc(num({ gt: 0 }).optional(), 'Power per GPU under load, including its share of the server (W).', 1000),
  calibration: doc(Calibration.optional(), 'How well the throughput model fits measurements on this GPU (written by breakeven calibrate).'),
  sources: doc(z.array(Source).min(1), 'Where every figure comes from: datasheet, price page, measurement, with dates.', ['NVIDIA H100 datasheet (2023)']),
});
export type HardwareIn = z.input<typeof Hardware>;
export type Hardware = z.output<typeof Hardware>;

// ------------------------------------------------------------------------------- models

export const Model = z.strictObject({
  id: doc(Id, 'Model id, referred to by workloads (lower case).', 'llama-3.1-70b'),
  name: doc(z.string().min(1), 'Display name in reports.', 'Llama 3.1 70B Instruct'),
  params_b: doc(num({ gt: 0 }), 'Total parameters (billions).', 70.6),
  active_params_b: doc(num({ gt: 0 }).optional(), 'Parameters used per token (billions; MoE). Default: params_b.', 12.9),
  embedding_params_b: doc(num({ min: 0 }), 'Embedding and lm_head parameters (billions), kept in bf16 under weight quantization.', 2.1),
  layers: doc(num({ min: 1, int: true }), 'Transformer layers (count).', 80),
  hidden: doc(num({ min: 1, int: true }), 'Hidden size (count).', 8192),
  heads: doc(num({ min: 1, int: true }), 'Attention heads (count).', 64),
  kv_heads: doc(num({ min: 1, int: true }), 'Key/value heads (count; fewer than heads under GQA).', 8),
  head_dim: doc(num({ min: 1, int: true }), 'Dimension per head (count).', 128),
  max_context: doc(num({ min: 1, int: true }), 'Longest context the model accepts (tokens).', 131072),
  experts: doc(num({ min: 1, int: true }).optional(), 'Experts per MoE layer (count).', 8),
  experts_per_token: doc(num({ min: 1, int: true }).optional(), 'Experts each token is routed to (count).', 2),
  source: doc(Source, 'Where the architecture figures come from (model card, config.json).', 'https://huggingface.co/meta-llama/Llama-3.1-70B-Instruct (config.json)'),
});
export type Model = z.output<typeof Model>;

export const Models = z.strictObject({
  $schema: doc(z.string().optional(), 'Path or URL of this file\'s JSON Schema, for editors.', '../schemas/models.schema.json'),
  kind: doc(z.literal('models'), 'File kind: always "models".', 'models'),
  models: doc(z.array(Model).min(1), 'The model architectures.'),
});

// --------------------------------------------------------------------------------- APIs

export const Api = z.strictObject({
  id: doc(Id, 'API id, referred to by workloads (lower case).', 'gpt-4o'),
  name: doc(z.string().min(1), 'Display name in reports.', 'GPT-4o'),
  provider: doc(z.string().min(1), 'Who sells it.', 'OpenAI'),
  input_per_mtok: doc(num({ min: 0 }), 'List price of fresh input tokens ($ per million tokens).', 2.5),
  output_per_mtok: doc(num({ min: 0 }), 'List price of output tokens ($ per million tokens).', 10),
  cached_input_per_mtok: doc(num({ min: 0 }).optional(), 'Price of input tokens read from the prompt cache, billed instead of fresh input ($ per million tokens).', 1.25),
  cache_write_per_mtok: doc(num({ min: 0 }).optional(), 'Price of input tokens written to the cache (Anthropic-style), billed instead of fresh input ($ per million tokens).', 3.75),
  batch_input_per_mtok: doc(num({ min: 0 }).optional(), 'Batch API input price ($ per million tokens). Default: 50 % of input_per_mtok unless batch_discount is set.', 1.25),
  batch_output_per_mtok: doc(num({ min: 0 }).optional(), 'Batch API output price ($ per million tokens).', 5),
  batch_discount: doc(num({ min: 0, max: 1 }).optional(), 'Batch discount off the online prices (share) when batch prices are not listed.', 0.5),
  batch_window_hours: doc(num({ gt: 0 }).optional(), 'Hours the batch API may take to return results; traffic.batch_jobs are billed at batch prices only when their deadline is at least this (hours). Default: 24.', 24),
  /** long-context tier: prompts above threshold bill at these prices */
  long_context: doc(
    z
      .strictObject({
        threshold_tokens: doc(num({ min: 1, int: true }), 'Prompt length above which the tier applies (tokens).', 200000),
        input_per_mtok: doc(num({ min: 0 }), 'Input price above the threshold ($ per million tokens).', 5),
        output_per_mtok: doc(num({ min: 0 }), 'Output price above the threshold ($ per million tokens).', 15),
      })
      .optional(),
    'Long-context tier: prompts above the threshold bill at these prices.',
  ),
  model: doc(Id.optional(), 'The catalog model it serves, if open weights.', 'llama-3.1-70b'),
  source: doc(Source, 'Price page quoted, with what it said.', 'https://platform.openai.com/docs/pricing'),
  date: doc(z.string().regex(/^\d{4}-\d{2}(-\d{2})?$/, 'must be a date YYYY-MM-DD'), 'When the price was seen valid (YYYY-MM or YYYY-MM-DD).', '2026-05'),
});
export type Api = z.output<typeof Api>;

export const Apis = z.strictObject({
  $schema: doc(z.string().optional(), 'Path or URL of this file\'s JSON Schema, for editors.', '../schemas/apis.schema.json'),
  kind: doc(z.literal('apis'), 'File kind: always "apis".', 'apis'),
  apis: doc(z.array(Api).min(1), 'The API price list.'),
});

// --------------------------------------------------------------------------- workloads

export const DailyShape = z.union([
  z.enum(['flat', 'business-hours', 'consumer-evening', 'nightly-batch']),
  z.array(num({ min: 0 })).length(24),
]);
export const WeeklyShape = z.union([
  z.enum(['flat', 'weekdays', 'weekend-heavy']),
  z.array(num({ min: 0 })).length(7),
]);

export const Fleet = z.discriminatedUnion('policy', [
  z.strictObject({
    policy: doc(z.literal('fixed'), 'A fixed fleet: the same number of replicas every hour, sized once for the horizon.', 'fixed'),
    peak_quantile: doc(num({ min: 0.5, max: 1 }).default(0.99), 'The fleet is sized to this quantile of the hourly busiest-minute need over the horizon (share, 0.99 = all but the busiest 1 % of hours).', 0.99),
    resize: doc(z.enum(['none', 'monthly', 'quarterly']).default('none'), 'Resize the fleet each month or quarter to that period\'s own peak_quantile hour, so it follows growth; none: one size for the horizon. A reservation commits to the peak, so resizing saves nothing there.', 'monthly'),
  }),
  z.strictObject({
    policy: doc(z.literal('autoscale'), 'Autoscaling: replicas follow demand hour by hour, with a lag and a cold start.', 'autoscale'),
    min_replicas: doc(num({ min: 0, int: true }).default(1), 'Replicas kept running even when idle (count; 0 = scale to zero).', 1),
    max_replicas: doc(num({ min: 1, int: true }).optional(), 'Most replicas the fleet may scale to (count); demand beyond it is an SLO violation. Default: no limit.', 8),
    scale_up_lag_hours: doc(num({ min: 0, max: 24, int: true }).default(1), 'Hours between demand rising and the new replicas serving (whole hours; 0 = the same hour).', 1),
    node_gpus: doc(num({ min: 1, max: 64, int: true }).optional(), 'Replicas come in whole nodes of this many GPUs (GPUs per node, e.g. 8 for an 8-GPU server). Default: one replica at a time.', 8),
    cold_start_minutes: doc(num({ min: 0, max: 60 }).default(10), 'GPU time paid while a new replica loads its weights (minutes per scale-up).', 10),
    target_utilisation: doc(num({ gt: 0, max: 1 }).default(0.8), 'Share of capacity in use at which the fleet scales up (share, 0.8 = 80 %).', 0.8),
  }),
  z.strictObject({
    policy: doc(z.literal('hybrid'), 'Hybrid: a fixed base fleet; what it cannot serve within the SLO overflows to the API at API prices.', 'hybrid'),
    base_replicas: doc(z.union([z.literal('auto'), num({ min: 0, int: true })]).default('auto'), 'Base fleet replicas (count), or "auto": the size that minimises expected cost.', 'auto'),
  }),
  z.strictObject({
    policy: doc(z.literal('existing'), 'The fleet you already have: its capex or reservation is sunk and not counted; only power, operations and what it cannot serve are paid.', 'existing'),
    gpus: doc(num({ min: 1, int: true }), 'GPUs you already have (count), used as whole replicas of tp GPUs.', 16),
    sunk: doc(z.enum(['owned', 'reserved']), 'What is sunk: owned hardware (power is still paid) or a reservation already paid (nothing more is).', 'owned'),
    until_month: doc(num({ min: 0, int: true }).optional(), 'Months from the start the fleet is available (months); after it everything overflows. Default: the whole horizon.', 6),
    overflow: doc(z.enum(['api', 'rented']).default('api'), 'Where what the fleet cannot serve within the SLO goes: the API (priced), or GPUs of the same kind rented by the hour at the option\'s pricing (on_demand or spot).', 'api'),
  }),
]);
export type Fleet = z.output<typeof Fleet>;

export const Option = z.strictObject({
  id: doc(Id.optional(), 'The option\'s id in results and reports. Default: <gpu>-<weights>-<policy>[-<pricing>][-tp<n>].', 'h100-fp8-autoscale'),
  gpu: doc(Id, 'GPU profile id (a `hardware` file\'s id, e.g. h100-sxm).', 'h100-sxm'),
  weights: doc(WeightFormat, 'Weight format: bf16, fp16, fp8 (W8A8), int8 (W8A8) or int4 (weight-only W4A16). FP8 or INT8 on a GPU without that tensor rate (FP8 on Ampere) is emulated as weight-only (1-byte weights, bf16 compute), with a warning.', 'fp8'),
  kv_cache: doc(KvFormat.default('bf16'), 'KV-cache format: bf16, fp16 or fp8.', 'fp8'),
  tp: doc(num({ min: 1, max: 64, int: true }).optional(), 'Tensor-parallel degree: GPUs per replica (count). Default: the smallest power of two the model fits in.', 2),
  pricing: doc(z.enum(['on_demand', 'spot', 'reserved', 'owned']).default('on_demand'), 'How GPUs are paid for: on_demand, spot (interruptions fall back to the API), reserved (committed for the profile\'s term) or owned (capex amortised plus power; needs self_hosted.power).', 'on_demand'),
  fleet: doc(Fleet, 'The fleet policy: { policy: fixed | autoscale | hybrid | existing, ... }.', { policy: 'autoscale', min_replicas: 1 }),
  engine: doc(Id.optional(), 'Serving-engine preset for this option (an engines/*.yaml id). Default: self_hosted.engine.', 'sglang'),
  routing: doc(
    z
      .strictObject({
        share: doc(dist({ min: 0, max: 1 }), 'Share of requests served by the self-hosted model (share, 0-1); the rest goes to the workload\'s API.', '0.6 to 0.8'),
        model: doc(Id, 'The self-hosted model for that share (a models catalog id).', 'llama-3.1-8b'),
        quality_assumption: doc(z.string().min(1), 'What you assume about the small model\'s quality on the routed share; shown with the answer, not modelled.', 'the 8B answers FAQ requests as well'),
      })
      .optional(),
    'Routing to a small self-hosted model: this option\'s fleet serves a share of every hour with `model`, the API the rest; priced and sized together, break-even on total volume. Default: none.',
  ),
});
export type Option = z.output<typeof Option>;

export const ApiMixEntry = z.strictObject({
  api: doc(Id, 'API id in the apis catalog.', 'gpt-4o-mini'),
  share: doc(num({ gt: 0, max: 1 }), 'Share of calls routed to this API (share; the mix sums to 1).', 0.7),
});

export const Workload = z.strictObject({
  $schema: doc(z.string().optional(), 'Path or URL of this file\'s JSON Schema, for editors.', '../schemas/workload.schema.json'),
  kind: doc(z.literal('workload'), 'File kind: always "workload".', 'workload'),
  name: doc(z.string().min(1).max(200), 'Scenario name, the report\'s title (1 to 200 characters).', 'Support chatbot'),
  description: doc(z.string().max(5000), 'Required: what the scenario is, in words, shown under the report\'s title (up to 5000 characters; may be empty).', '70B model, business hours, EU traffic'),
  catalogs: doc(
    z
      .strictObject({
        hardware: doc(z.array(z.string()).optional(), 'Extra hardware profile files (paths relative to this workload), searched before the bundled ones.', ['my-gpus/h100-private.yaml']),
        models: doc(z.array(z.string()).optional(), 'Extra model catalog files (relative paths).', ['my-models.yaml']),
        apis: doc(z.array(z.string()).optional(), 'Extra API price catalog files (relative paths).', ['negotiated-prices.yaml']),
      })
      .optional(),
    'Extra catalog files searched before the bundled ones; their ids override bundled ids.',
  ),
  horizon_months: doc(num({ min: 1, max: 120, int: true }).default(12), 'Months simulated (whole months of 730 hours).', 12),
  model: doc(Id, 'Model id in the models catalog.', 'llama-3.1-70b'),
  api: doc(z.union([Id, z.array(ApiMixEntry).min(1)]), 'The API baseline: one API id, or a routing mix [{ api, share }] whose shares sum to 1.', 'gpt-4o'),
  compare_apis: doc(
    z.array(z.union([Id, z.array(ApiMixEntry).min(1)])).max(8).optional(),
    'Extra API baselines priced on the same trials (same token draws, traffic, cache, batch, retry and decline inputs), each an API id or a routing mix as `api` accepts (at most 8). `api` stays the primary baseline: it drives the verdict, P(cheaper), break-even and overflow prices; each extra baseline gets its own P(cheaper), savings and break-even per option. Default: none.',
    ['gpt-4o-mini', 'claude-sonnet-4'],
  ),
  traffic: doc(
    z.strictObject({
      requests_per_day: doc(dist({ min: 0, max: 1e12 }), 'Model calls per calendar day (24 hours, every day of the week) at the start of the horizon; the daily and weekly shapes redistribute them over hours and days without changing the weekly total.', '50000 to 200000'),
      input_tokens: doc(dist({ min: 1, max: 10_000_000 }), 'Mean prompt tokens per call (tokens; at most 10 M).', 1500),
      output_tokens: doc(dist({ min: 1, max: 10_000_000 }), 'Mean completion tokens per call (tokens).', { type: 'pert', min: 100, mode: 300, max: 1200 }),
      growth_monthly: doc(dist({ min: -0.5, max: 2 }).prefault(0), 'Compound traffic growth per month (share; 0.05 = +5 %/month).', 0.03),
      daily_shape: doc(DailyShape.default('flat'), 'Hour-of-day profile: flat, business-hours, consumer-evening, nightly-batch, or 24 multipliers (normalised to mean 1).', 'business-hours'),
      weekly_shape: doc(WeeklyShape.default('flat'), 'Day-of-week profile: flat, weekdays, weekend-heavy, or 7 multipliers Monday first (normalised to mean 1).', 'weekdays'),
      noise: doc(
        z
          .strictObject({
            cv: doc(dist({ min: 0, max: 3 }).prefault(0.2), 'Coefficient of variation of the hourly noise (mean-1 Gamma; 0.2 = ±20 % typical).', 0.2),
            autocorrelation: doc(dist({ min: 0, max: 0.99 }).prefault(0.5), 'Hour-to-hour autocorrelation of the noise (AR(1) coefficient, 0 to 0.99).', 0.5),
          })
          .prefault({}),
        'Random hour-to-hour variation of demand.',
      ),
      bursts: doc(
        z
          .strictObject({
            rate_per_month: doc(dist({ min: 0, max: 100 }), 'Burst events per month (Poisson rate).', 1),
            size: doc(dist({ min: 1, max: 100 }), 'Demand multiplier during a burst (×; 2 = double).', '2 to 4'),
            duration_hours: doc(dist({ min: 1, max: 720 }), 'How long a burst lasts (hours).', 6),
          })
          .optional(),
        'Occasional traffic bursts (launches, incidents). Default: none.',
      ),
      peak_to_mean: doc(z.union([z.literal('auto'), dist({ min: 1, max: 20 })]).prefault('auto'), 'Busiest minute\'s demand over the hourly mean (×), which capacity must cover; "auto" derives it from Poisson arrivals.', 'auto'),
      trace: doc(
        z
          .strictObject({
            file: doc(z.string().min(1), 'CSV file of hourly demand (path relative to this workload).', 'traces/march.csv'),
            column: doc(z.string().default('requests'), 'Column holding requests per hour.', 'requests'),
            rescale: doc(z.boolean().default(false), 'Scale the trace so its first month averages traffic.requests_per_day.', false),
          })
          .optional(),
        'Replay a measured hourly trace instead of the synthetic shapes. Runs that use one cannot be re-run with --from (the trace is not embedded).',
      ),
      batch_jobs: doc(
        z
          .strictObject({
            items_per_run: doc(dist({ min: 0 }), 'Items per run (count).', '60000 to 120000'),
            every: doc(z.enum(['day', 'week']).default('day'), 'A run every day, or every week (Monday).', 'day'),
            start_hour: doc(num({ min: 0, max: 23, int: true }).default(0), 'Hour of the day a run arrives (0-23).', 22),
            deadline_hours: doc(num({ gt: 0, max: 168 }), 'Hours a run may take (hours); a run not done by then is missed and its rest goes to the API at standard prices.', 8),
            input_tokens: doc(num({ gt: 0 }), 'Input tokens per item (tokens).', 3000),
            output_tokens: doc(num({ gt: 0 }), 'Output tokens per item (tokens).', 300),
          })
          .optional(),
        'Deadline-driven batch work on top of the interactive traffic, served from a backlog in the capacity the interactive traffic leaves free. Default: none.',
      ),
    }),
    'Demand: calls, tokens per call, growth, shapes, noise, bursts.',
  ),
  api_pricing: doc(
    z
      .strictObject({
        cache_hit_rate: doc(dist({ min: 0, max: 1 }).prefault(0), 'Share of input tokens served from the provider\'s prompt cache (share), billed at the cached price instead of fresh input.', 0.3),
        cache_write_rate: doc(dist({ min: 0, max: 1 }).prefault(0), 'Share of input tokens written to the cache (share), billed at the cache-write price.', 0),
        batch_share: doc(dist({ min: 0, max: 1 }).prefault(0), 'Share of calls that can wait for the batch API (share).', 0.1),
        retry_overhead: doc(dist({ min: 0, max: 2 }).prefault(0), 'Extra calls from retries and failures (share; 0.15 = +15 %).', 0.15),
        price_decline_annual: doc(dist({ min: 0, max: 0.99 }).prefault(0), 'Yearly decline of API prices (share; 0.5 = prices halve over a year).', 0.5),
        long_context_share: doc(dist({ min: 0, max: 1 }).prefault(0), 'Share of calls over the API\'s long-context threshold (share).', 0),
      })
      .prefault({}),
    'How the API baseline is billed beyond list prices.',
  ),
  self_hosted: doc(
    z.strictObject({
      engine_efficiency: doc(dist({ gt: 0, max: 2 }).prefault(1), 'Uncertain multiplier on the engine preset\'s capacity (×; 1 = the preset as calibrated).', '0.85 to 1.1'),
      batch_share: doc(
        z.enum(['interactive', 'deferred']).default('interactive'),
        'How the fleet serves api_pricing.batch_share: interactive (as every other call, at the SLO, sized on the busiest minute) or deferred (sized and judged on the rest of the calls only; the batch share waits in a first-in-first-out backlog for capacity the interactive traffic leaves free, at full batch, within the API\'s batch window, default 24 h; what misses it goes to the API at standard prices). Default: interactive.',
        'deferred',
      ),
      engine: doc(Id.default('vllm'), 'Serving-engine preset (an engines/*.yaml id): its caps, token budget and scheduler time.', 'vllm'),
      prefix_cache: doc(
        z
          .strictObject({
            hit_rate: doc(dist({ min: 0, max: 1 }), 'Share of prompt tokens whose prefix (system prompt, reused RAG context, agent history) is already cached when the cache holds the whole working set (share).', '0.6 to 0.85'),
            reserve_fraction: doc(num({ min: 0, max: 0.9 }), 'Share of the KV memory left after the weights kept for cached prefixes (share); it is taken from the running sequences, so it can lower the batch.', 0.2),
            working_set_tokens: doc(num({ gt: 0 }), 'Distinct prefix tokens one replica must keep cached to reach hit_rate (tokens); a reserve holding less scales the hit rate down in proportion.', 400000),
          })
          .optional(),
        'Automatic prefix caching of the self-hosted engine (vLLM/SGLang): cached prompt tokens are not prefilled. Default: none (every prompt prefilled in full).',
      ),
      slo: doc(
        z
          .strictObject({
            tpot_ms: doc(num({ gt: 0 }).optional(), 'Time-per-output-token target (ms); bounds the decode batch.', 50),
            ttft_ms: doc(num({ gt: 0 }).optional(), 'Time-to-first-token target (ms); bounds how hot a replica may run. When the prompt\'s prefill alone takes longer, the option cannot run and its reason names the tp (within one node) that would meet it: "try tp: N".', 2000),
            attainment: doc(
              num({ min: 0.5, max: 1 }).default(0.99),
              'Share of hours whose busiest minute must be served within the TTFT/TPOT targets for a trial to count as meeting the SLO (share; the API is assumed to meet it every hour).',
              0.99,
            ),
          })
          .prefault({}),
        'Latency targets a self-hosted fleet must meet to count as a like-for-like replacement of the API.',
      ),
      gpu_price_decline_annual: doc(
        dist({ min: 0, max: 0.99 }).prefault(0),
        'Yearly decline of GPU rental prices, on-demand and spot (share; 0.3 = 30 % cheaper a year later); reserved prices are fixed when committed, owned hardware at purchase.',
        0.3,
      ),
      ops_cost_per_month: doc(dist({ min: 0 }).prefault(0), 'Engineering and monitoring for the self-hosted service ($/month).', '5000 to 15000'),
      power: doc(
        z
          .strictObject({
            usd_per_kwh: doc(dist({ min: 0 }), 'Electricity price ($/kWh).', 0.12),
            pue: doc(dist({ min: 1, max: 3 }), 'Data-centre power usage effectiveness (×, 1 to 3).', 1.3),
            amortisation_months: doc(num({ min: 1, max: 120, int: true }).default(36), 'Months over which owned hardware is paid off.', 36),
            residual_value: doc(dist({ min: 0, max: 1 }).prefault(0), 'Resale value at the end of amortisation (share of capex).', 0.1),
          })
          .optional(),
        'Owned hardware only: electricity and facility. Required when any option has pricing: owned.',
      ),
      options: doc(z.array(Option).min(1), 'The self-hosted candidates, each compared with the API on the same trials.', [{ gpu: 'h100-sxm', weights: 'fp8', fleet: { policy: 'fixed' } }]),
    }),
    'Self-hosting: engine efficiency, SLO, operations cost, power, and the candidate options.',
  ),
  simulation: doc(
    z
      .strictObject({
        trials: doc(num({ min: 1, max: 10_000_000, int: true }).default(2000), 'Monte Carlo trials (count); --trials overrides it.', 2000),
        seed: doc(num({ min: 0, max: 2 ** 32 - 1, int: true }).default(1), 'Random seed; the same seed gives byte-identical results for any worker count; --seed overrides it.', 1),
      })
      .prefault({}),
    'Monte Carlo settings.',
  ),
});
export type WorkloadIn = z.input<typeof Workload>;
export type Workload = z.output<typeof Workload>;

// ------------------------------------------------------------------------- measurements

const measured = {
  model: doc(Id, 'Model id in the models catalog.', 'llama-3.1-8b'),
  weights: doc(WeightFormat, 'Weight format measured.', 'fp8'),
  kv_cache: doc(KvFormat, 'KV-cache format measured.', 'bf16'),
  tp: doc(num({ min: 1, int: true }).optional(), 'Tensor-parallel degree (GPUs). Default 1.', 1),
};

export const Measurement = z.union([
  z.strictObject({
    ...measured,
    phase: doc(z.literal('decode'), 'A decode step measurement.', 'decode'),
    batch: doc(num({ min: 1, int: true }), 'Sequences decoded together (count).', 64),
    context_tokens: doc(num({ min: 1 }), 'Context length of each sequence (tokens).', 1024),
    step_ms: doc(num({ gt: 0 }), 'Measured time of one decode step (ms).', 21.5),
    output_tokens_per_s: doc(num({ gt: 0 }).optional(), 'Output tokens per second, if reported (tokens/s).', 2977),
  }),
  z.strictObject({
    ...measured,
    phase: doc(z.literal('prefill'), 'A prefill measurement.', 'prefill'),
    prompt_tokens: doc(num({ min: 1, int: true }), 'Prompt length (tokens).', 2048),
    ms: doc(num({ gt: 0 }), 'Measured prefill time (ms).', 95),
    prompt_tokens_per_s: doc(num({ gt: 0 }).optional(), 'Prompt tokens per second, if reported (tokens/s).', 21500),
  }),
]);
export type Measurement = z.output<typeof Measurement>;

export const Measurements = z.strictObject({
  $schema: doc(z.string().optional(), "Path or URL of this file's JSON Schema, for editors.", '../schemas/measurements.schema.json'),
  kind: doc(z.literal('measurements').optional(), 'File kind: "measurements" (may be left out).', 'measurements'),
  gpu: doc(z.string(), 'The GPU measured, as its maker names it.', 'NVIDIA H100 80GB HBM3'),
  hardware: doc(Id.optional(), 'Hardware profile id these points calibrate.', 'h100-sxm'),
  software: doc(z.string().optional(), 'Software stack and versions.', 'PyTorch 2.5, CUDA 12.4'),
  date: doc(z.string().optional(), 'When measured (YYYY-MM-DD).', '2026-11-20'),
  method: doc(z.string().optional(), 'How the points were measured, in words.'),
  ceilings_measured: doc(z.record(z.string(), z.number()).optional(), 'Measured ceilings (e.g. achieved bandwidth, TB/s), by name.'),
  note: doc(z.string().optional(), 'Provenance and what the file is for.'),
  measurements: doc(z.array(Measurement).min(1), 'The measured points.'),
});

// ------------------------------------------------------------------------------ engines

/** Caps an engine picks itself on large GPUs (vLLM: ≥ 70 GiB and not an A100). */
export const EngineLargeGpu = z.strictObject({
  min_memory_gb: doc(num({ gt: 0 }), 'GPUs with at least this much memory get the large-GPU caps (GB).', 70),
  exclude_hardware: doc(z.array(Id).default([]), 'GPU ids that keep the default caps whatever their memory.', ['a100-80gb']),
  max_num_seqs: doc(num({ min: 1, int: true }), 'Most sequences in one step on a large GPU (count).', 1024),
  max_num_batched_tokens: doc(num({ min: 1, int: true }), 'Token budget per step on a large GPU (tokens).', 8192),
});

/**
 * A serving-engine preset (engines/*.yaml): the caps of its continuous-batching scheduler and
 * how fast its kernels run relative to the calibrated kernel model (DESIGN §2b).
 */
export const Engine = z.strictObject({
  $schema: doc(z.string().optional(), "Path or URL of this file's JSON Schema, for editors.", '../schemas/engine.schema.json'),
  kind: doc(z.literal('engine'), 'File kind: always "engine".', 'engine'),
  id: doc(Id, 'Engine preset id, referred to by workloads (lower case).', 'vllm'),
  name: doc(z.string().min(1), 'Display name.', 'vLLM'),
  version: doc(z.string().min(1), 'Engine version the figures describe.', '0.6.4'),
  date: doc(z.string().min(1), 'Date the preset was written from its sources (YYYY-MM-DD).', '2026-11-25'),
  max_num_seqs: doc(num({ min: 1, int: true }), 'Most sequences in one step (count): vLLM max_num_seqs, SGLang max_running_requests, TRT-LLM max_batch_size.', 256),
  max_num_batched_tokens: doc(
    num({ min: 1, int: true }),
    'Token budget per step, decode rows plus prompt chunk (tokens): vLLM max_num_batched_tokens, SGLang chunked_prefill_size, TRT-LLM max_num_tokens.',
    2048,
  ),
  large_gpu: doc(EngineLargeGpu.optional(), 'Caps the engine picks itself on large GPUs (vLLM: 70 GiB or more and not an A100).'),
  kv_reservation: doc(
    z.enum(['mean', 'max']).default('mean'),
    'KV blocks a running request holds: mean = allocated as tokens arrive, preempting when full (vLLM, SGLang: the batch is bound by the mean context); max = reserved for prompt and output up front (TensorRT-LLM GUARANTEED_NO_EVICT).',
    'mean',
  ),
  scheduler_ms: doc(num({ min: 0, max: 100 }), 'Host time per step the GPU waits for: scheduling, sampling, detokenizing (ms).', 1.5),
  kernel_efficiency: doc(num({ gt: 0, max: 3 }), 'Kernel step time = calibrated kernel model / this (×; fused kernels, CUDA graphs, FlashInfer).', 1.1),
  sources: doc(z.array(Source).min(1), 'Where the figures come from, with dates.', ['vLLM docs, engine arguments (0.6.4)']),
  note: doc(z.string().optional(), 'Anything a reader should know about the preset.'),
});
export type Engine = z.output<typeof Engine>;

export const FileKinds = {
  hardware: Hardware,
  models: Models,
  apis: Apis,
  workload: Workload,
  measurements: Measurements,
  engine: Engine,
} as const;
export type FileKind = keyof typeof FileKinds;
