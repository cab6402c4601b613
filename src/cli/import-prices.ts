/**
 * `breakeven import-prices <file>`: convert LiteLLM's model_prices_and_context_window.json
 * (the ecosystem's price table) into an `apis` catalog file.
 *
 * Field mapping ($ per token → $ per million tokens):
 *   input_cost_per_token → input_per_mtok, output_cost_per_token → output_per_mtok,
 *   cache_read_input_token_cost → cached_input_per_mtok,
 *   cache_creation_input_token_cost → cache_write_per_mtok,
 *   input_cost_per_token_batches / output_cost_per_token_batches → batch_*_per_mtok,
 *   input/output_cost_per_token_above_{128k,200k}_tokens → long_context tier,
 *   litellm_provider → provider. Only chat models with input and output prices are kept.
 */
import type { Command } from 'commander';
import { resolve } from 'node:path';
import type { CliIO } from './io.js';
import { UserError } from './io.js';
import { readUserFile, writeFileOrStop } from './files.js';
import { safeText } from '../util/terminal.js';

interface LiteLlmEntry {
  mode?: string;
  litellm_provider?: string;
  input_cost_per_token?: number;
  output_cost_per_token?: number;
  cache_read_input_token_cost?: number;
  cache_creation_input_token_cost?: number;
  input_cost_per_token_batches?: number;
  output_cost_per_token_batches?: number;
  input_cost_per_token_above_200k_tokens?: number;
  output_cost_per_token_above_200k_tokens?: number;
  input_cost_per_token_above_128k_tokens?: number;
  output_cost_per_token_above_128k_tokens?: number;
}

export interface ImportedApi {
  id: string;
  name: string;
  provider: string;
  input_per_mtok: number;
  output_per_mtok: number;
  cached_input_per_mtok?: number;
  cache_write_per_mtok?: number;
  batch_input_per_mtok?: number;
  batch_output_per_mtok?: number;
  long_context?: { threshold_tokens: number; input_per_mtok: number; output_per_mtok: number };
  source: string;
  date: string;
}

const perM = (v: number) => Number((v * 1e6).toPrecision(6));
/** Largest price accepted, $ per token: $1 M per million tokens (the config number rule is far above). */
const MAX_PRICE_PER_TOKEN = 1;
const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= MAX_PRICE_PER_TOKEN;
/** Largest LiteLLM table read, bytes (the real one is ~1.5 MB). */
export const MAX_TABLE_BYTES = 32 * 1024 * 1024;

/** LiteLLM key → catalog id (lower-case, only [a-z0-9._-]). */
export function toId(key: string): string {
  return key
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .replace(/-+$/, '');
}

/** Map LiteLLM's table to catalog entries; returns the entries and the keys skipped. */
export function mapLiteLlm(table: Record<string, unknown>, source: string, date: string, only?: string[]): { apis: ImportedApi[]; skipped: string[] } {
  const apis: ImportedApi[] = [];
  const skipped: string[] = [];
  const wanted = only ? new Set(only) : null;
  const seen = new Set<string>();
  for (const [key, raw] of Object.entries(table)) {
    if (key === 'sample_spec') continue;
    if (wanted && !wanted.has(key) && !wanted.has(toId(key))) continue;
    const e = raw as LiteLlmEntry;
    if (
      typeof raw !== 'object' ||
      raw === null ||
      (e.mode !== undefined && e.mode !== 'chat') ||
      !finite(e.input_cost_per_token) ||
      !finite(e.output_cost_per_token) ||
      (e.litellm_provider !== undefined && typeof e.litellm_provider !== 'string')
    ) {
      skipped.push(key);
      continue;
    }
    const id = toId(key);
    if (!id || seen.has(id)) {
      skipped.push(key);
      continue;
    }
    seen.add(id);
    const api: ImportedApi = {
      id,
      name: key,
      provider: e.litellm_provider ?? 'unknown',
      input_per_mtok: perM(e.input_cost_per_token),
      output_per_mtok: perM(e.output_cost_per_token),
      source: `${source} (LiteLLM model_prices_and_context_window.json, key "${key}")`,
      date,
    };
    if (finite(e.cache_read_input_token_cost)) api.cached_input_per_mtok = perM(e.cache_read_input_token_cost);
    if (finite(e.cache_creation_input_token_cost)) api.cache_write_per_mtok = perM(e.cache_creation_input_token_cost);
    if (finite(e.input_cost_per_token_batches)) api.batch_input_per_mtok = perM(e.input_cost_per_token_batches);
    if (finite(e.output_cost_per_token_batches)) api.batch_output_per_mtok = perM(e.output_cost_per_token_batches);
    const tiers: [number, number | undefined, number | undefined][] = [
      [128_000, e.input_cost_per_token_above_128k_tokens, e.output_cost_per_token_above_128k_tokens],
      [200_000, e.input_cost_per_token_above_200k_tokens, e.output_cost_per_token_above_200k_tokens],
    ];
    for (const [threshold, i, o] of tiers) {
      if (finite(i)) api.long_context = { threshold_tokens: threshold, input_per_mtok: perM(i), output_per_mtok: perM(finite(o) ? o : e.output_cost_per_token) };
    }
    apis.push(api);
  }
  return { apis, skipped };
}

/**
 * Check the catalog text as `validate` would check the file: parse it back and run the apis
 * schema. A UserError (exit 2) with every problem when it would not load. O(size).
 */
export async function validateCatalogText(text: string, name: string): Promise<void> {
  // imported here, not at the top: the CLI loads a command's modules only when it runs
  const { parse: parseYaml } = await import('yaml');
  const { ConfigError, formatProblems, loadData } = await import('../config/index.js');
  const parsed: unknown = parseYaml(text);
  try {
    loadData(parsed, name);
  } catch (e) {
    if (e instanceof ConfigError) {
      throw new UserError(`the catalog would not load, so nothing was written:\n${formatProblems(e.problems)}`);
    }
    throw e;
  }
  if (parsed === null || typeof parsed !== 'object' || (parsed as { kind?: unknown }).kind !== 'apis') {
    throw new UserError('the catalog would not load, so nothing was written: it is not an apis catalog');
  }
}

export function registerImportPrices(program: Command, io: CliIO): void {
  program
    .command('import-prices <file>')
    .description("convert LiteLLM's model_prices_and_context_window.json into an apis catalog (YAML on stdout or --out)")
    .option('--only <ids...>', 'keep only these LiteLLM keys or catalog ids')
    .option('--date <yyyy-mm-dd>', 'date the prices were taken (default: today)')
    .option('-o, --out <file>', 'write the catalog to this file (atomically) instead of stdout')
    .action(async (file: string, flags: { only?: string[]; date?: string; out?: string }) => {
      const path = resolve(io.cwd, file);
      const shown = safeText(file, 200);
      const raw = readUserFile(file, path, MAX_TABLE_BYTES);
      let table: unknown;
      try {
        table = JSON.parse(raw.replace(/^\uFEFF/, ''));
      } catch (e) {
        throw new UserError(`${shown}: not valid JSON: ${(e as Error).message}`);
      }
      if (typeof table !== 'object' || table === null || Array.isArray(table)) {
        throw new UserError(`${shown}: expected LiteLLM's price table (a JSON object keyed by model name)`);
      }
      const date = flags.date ?? new Date().toISOString().slice(0, 10);
      if (date.length > 10 || !/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new UserError(`--date must be YYYY-MM-DD (got "${safeText(date, 40)}")`);
      const { apis, skipped } = mapLiteLlm(table as Record<string, unknown>, file, date, flags.only);
      if (flags.only) {
        const found = new Set(apis.flatMap((a) => [a.id, a.name]));
        const missing = flags.only.filter((k) => !found.has(k));
        if (missing.length) throw new UserError(`${shown}: no chat model with prices named ${missing.map((m) => `"${safeText(m, 80)}"`).join(', ')}`);
      }
      if (apis.length === 0) throw new UserError(`${shown}: no chat model with input and output prices found`);
      const YAML = await import('yaml');
      // the header is a YAML comment: the file name must not end it (a newline in it would
      // start a line of YAML), so it is stripped of control characters
      const text =
        `# Imported by \`breakeven import-prices ${shown}\` on ${date}; ${apis.length} APIs, ${skipped.length} entries skipped (not chat, no prices, prices above $${MAX_PRICE_PER_TOKEN}/token, or a provider that is not a string).\n` +
        YAML.stringify({ $schema: '../../schemas/apis.schema.json', kind: 'apis', apis }, { lineWidth: 0 });
      await validateCatalogText(text, flags.out ?? '(the imported catalog)');
      if (flags.out) {
        await writeFileOrStop(io, resolve(io.cwd, flags.out), text, flags.out);
        io.out(`wrote ${safeText(flags.out)}: ${apis.length} APIs (${skipped.length} skipped)\n`);
      } else {
        io.out(text);
      }
    });
}
