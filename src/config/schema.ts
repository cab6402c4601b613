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

// ---------------------------------------------------------------- numbers and distributions

/** A number, or a mathjs expression string evaluating to one, within `range`. */
export function num(range: Range = {}) {
  return z
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
  return DistInput.transform((v, ctx): DistSpec => {
    const r = makeDist(v, range);
    if (!r.ok) {
      ctx.addIssue({ code: 'custom', message: r.message });
      return z.NEVER;
    }
    return r.value;
  });
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
    bf16: t.optional(),
    fp16: t.optional(),
    fp8: t.optional(),
    int8: t.optional(),
    int4: t.optional(),
  });

// ---------------------------------------------------------------------------- hardware

export const Int4Kernel = z.enum(['tinygemm', 'marlin']);

export const Efficiency = z.strictObject({
  /** fraction of peak HBM bandwidth achieved streaming weights, per weight format */
  weights_stream: perFormat(num({ gt: 0, max: 1 })),
  /** fraction of peak HBM bandwidth achieved reading the KV cache */
  kv_read: num({ gt: 0, max: 1 }),
  /** fraction of dense peak achieved by decode GEMMs, per compute format */
  compute: perFormat(num({ gt: 0, max: 1 })),
  /** fraction of dense peak achieved by prefill, per compute format */
  prefill: perFormat(num({ gt: 0, max: 1 })),
  /** fixed per-decode-step overhead (kernel launches, sampling), milliseconds */
  step_overhead_ms: num({ min: 0 }),
  /** int4 weight-only kernel: batch up to which the 4-bit weight read keeps its gain */
  int4_batch_knee: num({ gt: 0 }).optional(),
});

export const Calibration = z.strictObject({
  fitted_on: z.string(),
  date: z.string(),
  points_fitted: num({ min: 0, int: true }),
  points_held_out: num({ min: 0, int: true }),
  median_abs_error: num({ min: 0 }),
  max_abs_error: num({ min: 0 }),
  held_out_median_abs_error: num({ min: 0 }).optional(),
  held_out_max_abs_error: num({ min: 0 }).optional(),
  note: z.string().optional(),
});

export const PriceModes = z.strictObject({
  on_demand: dist({ gt: 0 }),
  spot: dist({ gt: 0 }).optional(),
  reserved: dist({ gt: 0 }).optional(),
});

export const Hardware = z.strictObject({
  $schema: z.string().optional(),
  kind: z.literal('hardware'),
  id: Id,
  name: z.string().min(1),
  vendor: z.string().optional(),
  memory_gb: num({ gt: 0 }),
  memory_bandwidth_tbps: num({ gt: 0 }),
  /** dense tensor peaks, TFLOPS (TOPS for int), no sparsity */
  peak_tflops: perFormat(num({ gt: 0 })),
  /** per-GPU all-reduce bandwidth, GB/s (NVLink / Infinity Fabric / PCIe) */
  interconnect_gbps: num({ gt: 0 }),
  /** latency of one all-reduce, microseconds */
  allreduce_latency_us: num({ min: 0 }).optional(),
  gpus_per_node: num({ min: 1, max: 64, int: true }),
  int4_kernel: Int4Kernel,
  /** share of memory the serving engine keeps back (fragmentation, CUDA context) */
  memory_reserve_fraction: num({ min: 0, max: 0.9 }),
  /** activation and workspace memory per GPU, GB */
  workspace_gb: num({ min: 0 }),
  efficiency: Efficiency,
  /**
   * a GPU without measurements of its own: the calibrated profile whose efficiency factors it
   * carries (the transfer rule, docs/perf.md; a test pins the copy to its source)
   */
  efficiency_transferred_from: Id.optional(),
  /** $ per GPU-hour */
  price_per_gpu_hour: PriceModes,
  /** reserved-capacity commitment term in months (paid whether used or not) */
  reserved_term_months: num({ min: 1, int: true }).optional(),
  /** spot interruptions per GPU-hour */
  spot_interruption_rate: dist({ min: 0, max: 1 }).optional(),
  /** purchase price per GPU for owned hardware, $ (incl. share of server) */
  capex_per_gpu_usd: dist({ gt: 0 }).optional(),
  /** board power per GPU under load, watts (incl. share of server) */
  power_w: num({ gt: 0 }).optional(),
  calibration: Calibration.optional(),
  sources: z.array(Source).min(1),
});
export type HardwareIn = z.input<typeof Hardware>;
export type Hardware = z.output<typeof Hardware>;

// ------------------------------------------------------------------------------- models

export const Model = z.strictObject({
  id: Id,
  name: z.string().min(1),
  /** total parameters, billions */
  params_b: num({ gt: 0 }),
  /** parameters used per token, billions (MoE); default params_b */
  active_params_b: num({ gt: 0 }).optional(),
  /** embedding + lm_head parameters, billions (kept in bf16 under weight quantization) */
  embedding_params_b: num({ min: 0 }),
  layers: num({ min: 1, int: true }),
  hidden: num({ min: 1, int: true }),
  heads: num({ min: 1, int: true }),
  kv_heads: num({ min: 1, int: true }),
  head_dim: num({ min: 1, int: true }),
  max_context: num({ min: 1, int: true }),
  experts: num({ min: 1, int: true }).optional(),
  experts_per_token: num({ min: 1, int: true }).optional(),
  source: Source,
});
export type Model = z.output<typeof Model>;

export const Models = z.strictObject({
  $schema: z.string().optional(),
  kind: z.literal('models'),
  models: z.array(Model).min(1),
});

// --------------------------------------------------------------------------------- APIs

export const Api = z.strictObject({
  id: Id,
  name: z.string().min(1),
  provider: z.string().min(1),
  /** $ per million tokens */
  input_per_mtok: num({ min: 0 }),
  output_per_mtok: num({ min: 0 }),
  /** cache reads, billed instead of fresh input */
  cached_input_per_mtok: num({ min: 0 }).optional(),
  /** cache writes (Anthropic-style), billed instead of fresh input for the written share */
  cache_write_per_mtok: num({ min: 0 }).optional(),
  /** batch API prices; default: 50 % of the online prices when batch_discount is unset */
  batch_input_per_mtok: num({ min: 0 }).optional(),
  batch_output_per_mtok: num({ min: 0 }).optional(),
  batch_discount: num({ min: 0, max: 1 }).optional(),
  /** long-context tier: prompts above threshold bill at these prices */
  long_context: z
    .strictObject({
      threshold_tokens: num({ min: 1, int: true }),
      input_per_mtok: num({ min: 0 }),
      output_per_mtok: num({ min: 0 }),
    })
    .optional(),
  /** which model in the catalog it is (if hosted open weights) */
  model: Id.optional(),
  source: Source,
  date: z.string().regex(/^\d{4}-\d{2}(-\d{2})?$/, 'must be a date YYYY-MM-DD'),
});
export type Api = z.output<typeof Api>;

export const Apis = z.strictObject({
  $schema: z.string().optional(),
  kind: z.literal('apis'),
  apis: z.array(Api).min(1),
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
    policy: z.literal('fixed'),
    /** fleet sized to this quantile of the hourly peak demand over the horizon */
    peak_quantile: num({ min: 0.5, max: 1 }).default(0.99),
  }),
  z.strictObject({
    policy: z.literal('autoscale'),
    min_replicas: num({ min: 0, int: true }).default(1),
    max_replicas: num({ min: 1, int: true }).optional(),
    scale_up_lag_hours: num({ min: 0, max: 24, int: true }).default(1),
    /** replicas come in whole nodes of this many GPUs (default: one replica at a time) */
    node_gpus: num({ min: 1, max: 64, int: true }).optional(),
    /** GPU time paid while a new replica loads weights, minutes */
    cold_start_minutes: num({ min: 0, max: 60 }).default(10),
    /** target share of capacity in use before scaling up */
    target_utilisation: num({ gt: 0, max: 1 }).default(0.8),
  }),
  z.strictObject({
    policy: z.literal('hybrid'),
    /** base fleet replicas, or "auto" (the size that minimises expected cost) */
    base_replicas: z.union([z.literal('auto'), num({ min: 0, int: true })]).default('auto'),
  }),
]);
export type Fleet = z.output<typeof Fleet>;

export const Option = z.strictObject({
  id: Id.optional(),
  gpu: Id,
  weights: WeightFormat,
  kv_cache: KvFormat.default('bf16'),
  /** tensor-parallel degree; default: the smallest power of two the model fits in */
  tp: num({ min: 1, max: 64, int: true }).optional(),
  pricing: z.enum(['on_demand', 'spot', 'reserved', 'owned']).default('on_demand'),
  fleet: Fleet,
  /** serving-engine preset for this option (engines/*.yaml); default: self_hosted.engine */
  engine: Id.optional(),
});
export type Option = z.output<typeof Option>;

export const ApiMixEntry = z.strictObject({ api: Id, share: num({ gt: 0, max: 1 }) });

export const Workload = z.strictObject({
  $schema: z.string().optional(),
  kind: z.literal('workload'),
  name: z.string().min(1).max(200),
  description: z.string().max(5000),
  /** extra catalog files (relative to this file) searched before the bundled ones */
  catalogs: z
    .strictObject({
      hardware: z.array(z.string()).optional(),
      models: z.array(z.string()).optional(),
      apis: z.array(z.string()).optional(),
    })
    .optional(),
  horizon_months: num({ min: 1, max: 120, int: true }).default(12),
  model: Id,
  /** the API baseline: one API id, or a routing mix whose shares sum to 1 */
  api: z.union([Id, z.array(ApiMixEntry).min(1)]),
  traffic: z.strictObject({
    /** model calls per day at the start of the horizon */
    requests_per_day: dist({ min: 0, max: 1e12 }),
    /** mean prompt tokens per call (at most 10 M: no model reads more) */
    input_tokens: dist({ min: 1, max: 10_000_000 }),
    /** mean completion tokens per call */
    output_tokens: dist({ min: 1, max: 10_000_000 }),
    /** compound growth per month (0.05 = +5 %/month) */
    growth_monthly: dist({ min: -0.5, max: 2 }).prefault(0),
    daily_shape: DailyShape.default('flat'),
    weekly_shape: WeeklyShape.default('flat'),
    noise: z
      .strictObject({
        /** coefficient of variation of the hourly noise (mean 1, Gamma marginal) */
        cv: dist({ min: 0, max: 3 }).prefault(0.2),
        /** hour-to-hour autocorrelation of the noise (AR(1) coefficient) */
        autocorrelation: dist({ min: 0, max: 0.99 }).prefault(0.5),
      })
      .prefault({}),
    bursts: z
      .strictObject({
        /** burst events per month (Poisson) */
        rate_per_month: dist({ min: 0, max: 100 }),
        /** demand multiplier during a burst (2 = double) */
        size: dist({ min: 1, max: 100 }),
        duration_hours: dist({ min: 1, max: 720 }),
      })
      .optional(),
    /** peak-minute demand over the hourly mean; "auto" derives it from Poisson arrivals */
    peak_to_mean: z.union([z.literal('auto'), dist({ min: 1, max: 20 })]).prefault('auto'),
    /** replay a measured hourly trace (CSV with a column of requests per hour) */
    trace: z
      .strictObject({
        file: z.string().min(1),
        column: z.string().default('requests'),
        /** scale the trace so its first month averages traffic.requests_per_day */
        rescale: z.boolean().default(false),
      })
      .optional(),
  }),
  api_pricing: z
    .strictObject({
      /** share of input tokens served from the provider's prompt cache */
      cache_hit_rate: dist({ min: 0, max: 1 }).prefault(0),
      /** share of input tokens written to the cache (billed at cache-write price) */
      cache_write_rate: dist({ min: 0, max: 1 }).prefault(0),
      /** share of traffic that can wait for the batch API */
      batch_share: dist({ min: 0, max: 1 }).prefault(0),
      /** extra calls from retries and failures (0.15 = +15 %) */
      retry_overhead: dist({ min: 0, max: 2 }).prefault(0),
      /** yearly decline of API prices (0.5 = prices halve over a year) */
      price_decline_annual: dist({ min: 0, max: 0.99 }).prefault(0),
      /** share of calls over the long-context threshold */
      long_context_share: dist({ min: 0, max: 1 }).prefault(0),
    })
    .prefault({}),
  self_hosted: z.strictObject({
    /** uncertain multiplier on the engine preset's capacity (1 = the preset as calibrated) */
    engine_efficiency: dist({ gt: 0, max: 2 }).prefault(1),
    /** serving-engine preset (engines/*.yaml): caps, token budget, scheduler time */
    engine: Id.default('vllm'),
    slo: z
      .strictObject({
        /** time per output token target, ms: bounds the decode batch */
        tpot_ms: num({ gt: 0 }).optional(),
        /** time to first token target, ms: bounds how hot a replica may run */
        ttft_ms: num({ gt: 0 }).optional(),
        /**
         * share of hours whose busiest minute must be served within the TTFT/TPOT targets for
         * a trial to count as meeting the SLO (the API is assumed to meet it every hour)
         */
        attainment: num({ min: 0.5, max: 1 }).default(0.99),
      })
      .prefault({}),
    /**
     * yearly decline of GPU rental prices (on-demand and spot; reserved is fixed when
     * committed, owned at purchase): 0.3 = 30 % cheaper a year later
     */
    gpu_price_decline_annual: dist({ min: 0, max: 0.99 }).prefault(0),
    /** engineering and monitoring, $ per month for the self-hosted service */
    ops_cost_per_month: dist({ min: 0 }).prefault(0),
    /** owned hardware: electricity and facility */
    power: z
      .strictObject({
        usd_per_kwh: dist({ min: 0 }),
        pue: dist({ min: 1, max: 3 }),
        amortisation_months: num({ min: 1, max: 120, int: true }).default(36),
        /** resale value at the end of amortisation, share of capex */
        residual_value: dist({ min: 0, max: 1 }).prefault(0),
      })
      .optional(),
    options: z.array(Option).min(1),
  }),
  simulation: z
    .strictObject({
      trials: num({ min: 1, max: 10_000_000, int: true }).default(2000),
      seed: num({ min: 0, max: 2 ** 32 - 1, int: true }).default(1),
    })
    .prefault({}),
});
export type WorkloadIn = z.input<typeof Workload>;
export type Workload = z.output<typeof Workload>;

// ------------------------------------------------------------------------- measurements

export const Measurement = z.union([
  z.strictObject({
    model: Id,
    weights: WeightFormat,
    kv_cache: KvFormat,
    phase: z.literal('decode'),
    batch: num({ min: 1, int: true }),
    context_tokens: num({ min: 1 }),
    tp: num({ min: 1, int: true }).optional(),
    step_ms: num({ gt: 0 }),
    output_tokens_per_s: num({ gt: 0 }).optional(),
  }),
  z.strictObject({
    model: Id,
    weights: WeightFormat,
    kv_cache: KvFormat,
    phase: z.literal('prefill'),
    prompt_tokens: num({ min: 1, int: true }),
    tp: num({ min: 1, int: true }).optional(),
    ms: num({ gt: 0 }),
    prompt_tokens_per_s: num({ gt: 0 }).optional(),
  }),
]);
export type Measurement = z.output<typeof Measurement>;

export const Measurements = z.strictObject({
  $schema: z.string().optional(),
  kind: z.literal('measurements').optional(),
  gpu: z.string(),
  hardware: Id.optional(),
  software: z.string().optional(),
  date: z.string().optional(),
  method: z.string().optional(),
  ceilings_measured: z.record(z.string(), z.number()).optional(),
  /** provenance and what the file is for */
  note: z.string().optional(),
  measurements: z.array(Measurement).min(1),
});

// ------------------------------------------------------------------------------ engines

/** Caps an engine picks itself on large GPUs (vLLM: ≥ 70 GiB and not an A100). */
export const EngineLargeGpu = z.strictObject({
  min_memory_gb: num({ gt: 0 }),
  exclude_hardware: z.array(Id).default([]),
  max_num_seqs: num({ min: 1, int: true }),
  max_num_batched_tokens: num({ min: 1, int: true }),
});

/**
 * A serving-engine preset (engines/*.yaml): the caps of its continuous-batching scheduler and
 * how fast its kernels run relative to the calibrated kernel model (DESIGN §2b).
 */
export const Engine = z.strictObject({
  $schema: z.string().optional(),
  kind: z.literal('engine'),
  id: Id,
  name: z.string().min(1),
  /** engine version the figures describe */
  version: z.string().min(1),
  /** date the preset was written from its sources (YYYY-MM-DD) */
  date: z.string().min(1),
  /** most sequences in one step (vLLM max_num_seqs, SGLang max_running_requests, TRT-LLM max_batch_size) */
  max_num_seqs: num({ min: 1, int: true }),
  /** token budget per step: decode rows + prompt chunk (vLLM max_num_batched_tokens, SGLang chunked_prefill_size, TRT-LLM max_num_tokens) */
  max_num_batched_tokens: num({ min: 1, int: true }),
  large_gpu: EngineLargeGpu.optional(),
  /**
   * KV blocks a running request holds: `mean` = allocated as tokens arrive, preempting when
   * full (vLLM, SGLang: paged attention, B bound by the mean context); `max` = reserved for
   * prompt + output up front (TensorRT-LLM's GUARANTEED_NO_EVICT scheduler)
   */
  kv_reservation: z.enum(['mean', 'max']).default('mean'),
  /** host time per step the GPU waits for (scheduling, sampling, detokenizing), ms */
  scheduler_ms: num({ min: 0, max: 100 }),
  /** kernel step time = calibrated kernel model / this (fused kernels, CUDA graphs, FlashInfer) */
  kernel_efficiency: num({ gt: 0, max: 3 }),
  sources: z.array(Source).min(1),
  note: z.string().optional(),
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
