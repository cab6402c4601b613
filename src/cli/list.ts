/**
 * `breakeven list gpus|models|apis|engines [--json]`: the ids people type in workloads and in `plan`
 * filters, with the figures that tell them apart (bundled catalog). O(catalog).
 */
import type { Command } from 'commander';
import type { CliIO } from './io.js';
import { UserError } from './io.js';

export const LIST_KINDS = ['gpus', 'models', 'apis', 'engines'] as const;
type ListKind = (typeof LIST_KINDS)[number];

interface Row {
  [key: string]: string | number | null | string[];
}

export function registerList(program: Command, io: CliIO): void {
  program
    .command('list <what>')
    .description(`the ids you can use, with key figures: ${LIST_KINDS.join(', ')}`)
    .option('--json', 'print JSON (an array of objects) instead of a table')
    .action(async (what: string, flags: { json?: boolean }) => {
      await listCommand(what, flags, io);
    });
}

async function listCommand(what: string, flags: { json?: boolean }, io: CliIO): Promise<void> {
  const config = await import('../config/index.js');
  if (!(LIST_KINDS as readonly string[]).includes(what)) {
    const near = config.suggestSimilar(what, LIST_KINDS);
    throw new UserError(`list: unknown kind "${what}"${near.length ? `. Did you mean ${near.join(' or ')}?` : ''} (one of: ${LIST_KINDS.join(', ')})`);
  }
  const { quantile } = await import('../distributions/index.js');
  const cat = config.loadCatalog();
  const kind = what as ListKind;
  let rows: Row[];
  if (kind === 'gpus') {
    rows = [...cat.hardware.values()]
      .map(({ profile: h }) => {
        const od = h.price_per_gpu_hour.on_demand;
        const r2 = (x: number) => Math.round(x * 100) / 100;
        const pricing = ['on_demand', ...(h.price_per_gpu_hour.spot ? ['spot'] : []), ...(h.price_per_gpu_hour.reserved ? ['reserved'] : []), ...(h.capex_per_gpu_usd && h.power_w ? ['owned'] : [])];
        return {
          id: h.id,
          name: h.name,
          memory_gb: h.memory_gb,
          bandwidth_tbps: h.memory_bandwidth_tbps,
          formats: Object.entries(h.peak_tflops)
            .filter(([, v]) => v !== undefined)
            .map(([k]) => k),
          gpus_per_node: h.gpus_per_node,
          on_demand_usd_per_hour_p5: r2(quantile(od.dist, 0.05)),
          on_demand_usd_per_hour_p95: r2(quantile(od.dist, 0.95)),
          pricing,
          price_source: od.source ?? null,
        };
      })
      .sort((a, b) => (a.id < b.id ? -1 : 1));
  } else if (kind === 'models') {
    rows = [...cat.models.values()]
      .map(({ model: m }) => ({
        id: m.id,
        name: m.name,
        params_b: m.params_b,
        active_params_b: m.active_params_b ?? m.params_b,
        layers: m.layers,
        hidden: m.hidden,
        kv_heads: m.kv_heads,
        head_dim: m.head_dim,
        max_context: m.max_context,
      }))
      .sort((a, b) => (a.id < b.id ? -1 : 1));
  } else if (kind === 'engines') {
    rows = [...cat.engines.values()]
      .map(({ engine: e }) => ({
        id: e.id,
        name: e.name,
        version: e.version,
        date: e.date,
        max_num_seqs: e.max_num_seqs,
        max_num_batched_tokens: e.max_num_batched_tokens,
        scheduler_ms: e.scheduler_ms,
        kernel_efficiency: e.kernel_efficiency,
      }))
      .sort((a, b) => (a.id < b.id ? -1 : 1));
  } else {
    rows = [...cat.apis.values()]
      .map(({ api: a }) => ({
        id: a.id,
        name: a.name,
        provider: a.provider,
        input_per_mtok: a.input_per_mtok,
        output_per_mtok: a.output_per_mtok,
        cached_input_per_mtok: a.cached_input_per_mtok ?? null,
        date: a.date,
      }))
      .sort((a, b) => (a.id < b.id ? -1 : 1));
  }
  if (flags.json) {
    io.out(JSON.stringify(rows, null, 2) + '\n');
    return;
  }
  const cols = TEXT_COLUMNS[kind];
  const cell = (v: Row[string] | undefined) => (v === null || v === undefined ? '-' : Array.isArray(v) ? v.join(',') : String(v));
  const table = [cols.map((c) => c.title), ...rows.map((r) => cols.map((c) => c.get(r, cell)))];
  const widths = table[0]!.map((_, c) => Math.max(...table.map((row) => row[c]!.length)));
  io.out(table.map((row) => row.map((v, c) => v.padEnd(widths[c]!)).join('  ').trimEnd()).join('\n') + '\n');
}

type Col = { title: string; get: (r: Row, cell: (v: Row[string] | undefined) => string) => string };
const col = (title: string, key: string): Col => ({ title, get: (r, cell) => cell(r[key]) });
const TEXT_COLUMNS: Record<ListKind, Col[]> = {
  gpus: [
    col('id', 'id'),
    col('name', 'name'),
    col('memory GB', 'memory_gb'),
    col('TB/s', 'bandwidth_tbps'),
    col('formats', 'formats'),
    { title: '$/GPU-h on demand (90 %)', get: (r, cell) => `${cell(r['on_demand_usd_per_hour_p5'])}-${cell(r['on_demand_usd_per_hour_p95'])}` },
    col('pricing', 'pricing'),
  ],
  models: [col('id', 'id'), col('name', 'name'), col('params B', 'params_b'), col('active B', 'active_params_b'), col('layers', 'layers'), col('KV heads', 'kv_heads'), col('head dim', 'head_dim'), col('max context', 'max_context')],
  engines: [col('id', 'id'), col('name', 'name'), col('version', 'version'), col('date', 'date'), col('max seqs', 'max_num_seqs'), col('token budget', 'max_num_batched_tokens'), col('scheduler ms', 'scheduler_ms'), col('kernel eff.', 'kernel_efficiency')],
  apis: [col('id', 'id'), col('name', 'name'), col('provider', 'provider'), col('$/M in', 'input_per_mtok'), col('$/M out', 'output_per_mtok'), col('$/M cached', 'cached_input_per_mtok'), col('date', 'date')],
};
