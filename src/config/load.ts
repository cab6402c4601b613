/**
 * The config loader: read → parse (YAML/JSON) → validate (zod schema of the file's kind) →
 * resolve references (catalog ids, extra catalogs, option ids) → LoadedWorkload. Every
 * problem in every file involved is collected and thrown at once as a ConfigError.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { createRequire } from 'node:module';
import type { z } from 'zod';
import type * as SchemaModule from './schema.js';
import type { Api, Engine, FileKind, Hardware, Model, Option, Workload } from './schema.js';
import { ConfigError, formatPath, zodProblems } from './problems.js';
import type { Problem } from './problems.js';
import { readConfigFile, scanNumbers, type ReadResult } from './read.js';
import { m } from './messages.js';
import { packageRoot } from '../util/package-root.js';
import { canRequireEsm } from '../util/require-esm.js';
import { didYouMean, suggestSimilar } from './suggest.js';

// ----------------------------------------------------------------------------- locations

/** The package root: bundled hardware/ and workloads/ live here (from src/ or dist/). */
export const BUNDLED_ROOT: string = packageRoot(import.meta.url).dir;

/** The scenario run with no arguments. */
export function defaultWorkloadPath(): string {
  return join(BUNDLED_ROOT, 'workloads', 'default.yaml');
}

/** How a file is named in messages: relative to cwd when inside it, else absolute. */
export function shownName(abs: string, cwd: string = process.cwd()): string {
  const rel = relative(cwd, abs);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : abs;
}

// ----------------------------------------------------------------------------- one file

export type KindOutput = { [K in FileKind]: z.output<(typeof SchemaModule.FileKinds)[K]> };
export type Checked<K extends FileKind = FileKind> = { kind: K; data: KindOutput[K]; raw: unknown };
type CheckResult = { ok: true; value: Checked } | { ok: false; problems: Problem[] };

/** The kinds of file, in the order of schema.ts's FileKinds (a test pins the two equal). */
export const KINDS: readonly FileKind[] = ['hardware', 'models', 'apis', 'workload', 'measurements', 'engine'];

let schemaModule: typeof SchemaModule | undefined;

/**
 * The schemas (schema.ts), loaded on first use: a run whose files all carry the build's
 * check (yaml-cache.ts `cachedCheck`: the bundled scenarios) never loads zod and never builds
 * a schema, which cost ~85 ms of every start-up. Loaded synchronously (require of an ES
 * module, Node >= 20.19), so every loader here stays synchronous; where Node cannot (older
 * Node 20, or sources run by vitest, where require cannot load TypeScript) the caller gives
 * the module first (`provideSchemas`, `prepareSchemas`).
 */
function schemas(): typeof SchemaModule {
  if (schemaModule === undefined) {
    const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
    schemaModule = createRequire(import.meta.url)(`./schema${ext}`) as typeof SchemaModule;
  }
  return schemaModule;
}

/** Whether the schema module is loaded (or given) yet. */
export function schemasLoaded(): boolean {
  return schemaModule !== undefined;
}

/** Use `m` as the schema module (the test setup gives it: vitest's sources cannot be required). */
export function provideSchemas(m: typeof SchemaModule): void {
  schemaModule = m;
}

/** Make sure the schemas can be had synchronously: imports them where this Node cannot require an ES module. */
export async function prepareSchemas(): Promise<void> {
  if (!canRequireEsm()) schemaModule ??= await import('./schema.js');
}
const isKind = (k: unknown): k is FileKind => typeof k === 'string' && (KINDS as string[]).includes(k);

/** The kind a parsed file declares (a file with a `measurements` list and no kind is measurements). */
function kindOf(shown: string, data: Record<string, unknown>): FileKind | Problem {
  const k = data['kind'];
  if (k === undefined) {
    if (Array.isArray(data['measurements'])) return 'measurements';
    return { file: shown, path: 'kind', message: m.missingKind(KINDS) };
  }
  if (isKind(k)) return k;
  const sugg = typeof k === 'string' ? didYouMean(suggestSimilar(k, KINDS)) : '';
  return { file: shown, path: 'kind', message: m.unknownKind(k, KINDS), ...(sugg ? { suggestion: sugg } : {}) };
}

/** Validate parsed data of a known kind; problems at field paths of `shown`. */
export function checkData(shown: string, kind: FileKind, data: unknown): { ok: true; data: unknown } | { ok: false; problems: Problem[] } {
  const scan = scanNumbers(shown, data);
  const schema: z.ZodType = schemas().FileKinds[kind];
  const r = schema.safeParse(data);
  if (r.success && scan.length === 0) {
    const dup = duplicateIds(shown, kind, r.data);
    return dup.length === 0 ? { ok: true, data: r.data } : { ok: false, problems: dup };
  }
  const zp = r.success ? [] : zodProblems(shown, schema, data, r.error.issues);
  // a non-finite number also fails the schema there: report it once, in the scan's words
  const scanned = new Set(scan.map((p) => p.path));
  return { ok: false, problems: [...scan, ...zp.filter((p) => !scanned.has(p.path))] };
}

/** Ids defined twice within one catalog file. */
function duplicateIds(shown: string, kind: FileKind, data: unknown): Problem[] {
  const out: Problem[] = [];
  const check = (list: readonly { id: string }[], key: string, what: string) => {
    const first = new Map<string, number>();
    list.forEach((e, i) => {
      const f = first.get(e.id);
      if (f === undefined) first.set(e.id, i);
      else out.push({ file: shown, path: `${key}[${i}].id`, message: m.duplicateId(what, e.id, `${key}[${f}]`) });
    });
  };
  if (kind === 'models') check((data as KindOutput['models']).models, 'models', 'model');
  if (kind === 'apis') check((data as KindOutput['apis']).apis, 'apis', 'API');
  return out;
}

/** Validate parsed data of any kind (from its `kind` field). */
export function checkAny(shown: string, raw: unknown): CheckResult {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { ok: false, problems: [{ file: shown, path: '', message: m.notMapping(raw) }] };
  }
  const kind = kindOf(shown, raw as Record<string, unknown>);
  if (typeof kind !== 'string') return { ok: false, problems: [kind] };
  const r = checkData(shown, kind, raw);
  return r.ok ? { ok: true, value: { kind, data: r.data, raw } as Checked } : r;
}

function checkPath(abs: string, shown: string): CheckResult {
  const read = readConfigFile(abs, shown);
  return read.ok ? checkRead(shown, read) : read;
}

/** checkAny of a file's data, or the build's check of a bundled file (`ReadResult.checked`). */
function checkRead(shown: string, read: Extract<ReadResult, { ok: true }>): CheckResult {
  if (read.checked && isKind(read.checked.kind)) return { ok: true, value: { kind: read.checked.kind, data: read.checked.data, raw: read.data } as Checked };
  return checkAny(shown, read.data);
}

/**
 * Read, parse and validate one file of any kind. Throws ConfigError with every problem.
 * @example loadFile("hardware/h100-sxm.yaml").kind // "hardware"
 */
export function loadFile(file: string, opts: { cwd?: string; root?: string } = {}): { kind: FileKind; data: unknown; file: string } {
  const cwd = opts.cwd ?? process.cwd();
  const abs = resolve(cwd, file);
  const r = checkPathWithRefs(abs, shownName(abs, cwd), cwd, opts.root);
  if (!r.ok) throw new ConfigError(r.problems);
  return { kind: r.value.kind, data: r.value.data, file: abs };
}

/**
 * checkPath, plus — for a workload whose schema check fails — its unknown catalog ids
 * (model, API, GPUs) in the same pass, so a user fixes everything in one round instead of
 * meeting the id errors only after the schema errors are gone.
 */
function checkPathWithRefs(abs: string, shown: string, cwd: string, root: string | undefined): CheckResult {
  const read = readConfigFile(abs, shown);
  if (!read.ok) return read;
  const r = checkRead(shown, read);
  if (r.ok) return r;
  const raw = read.data as Record<string, unknown> | null;
  if (raw === null || typeof raw !== 'object' || raw['kind'] !== 'workload') return r;
  return { ok: false, problems: [...r.problems, ...rawRefProblems(raw, shown, dirname(abs), cwd, root ?? BUNDLED_ROOT, r.problems)] };
}

/**
 * Unknown ids in a workload that failed its schema check, read from the document as
 * written: `model`, `api` (id or mix entries) and `self_hosted.options[i].gpu`, where they
 * are strings and no schema problem is already reported at that path. Catalogs listed in
 * `catalogs` are searched when they load; problems with the catalogs themselves are left to
 * the pass after the schema is fixed. Cost: one catalog load.
 */
function rawRefProblems(raw: Record<string, unknown>, shown: string, base: string, cwd: string, root: string, already: readonly Problem[]): Problem[] {
  const taken = new Set(already.map((p) => p.path));
  const refs: { path: string; what: string; id: string; kind: 'models' | 'apis' | 'hardware' }[] = [];
  if (typeof raw['model'] === 'string') refs.push({ path: 'model', what: 'model', id: raw['model'], kind: 'models' });
  const api = raw['api'];
  if (typeof api === 'string') refs.push({ path: 'api', what: 'API', id: api, kind: 'apis' });
  else if (Array.isArray(api)) {
    api.forEach((e, i) => {
      const id = (e as Record<string, unknown> | null)?.['api'];
      if (typeof id === 'string') refs.push({ path: `api[${i}].api`, what: 'API', id, kind: 'apis' });
    });
  }
  const compare = raw['compare_apis'];
  if (Array.isArray(compare)) {
    compare.forEach((c, i) => {
      if (typeof c === 'string') refs.push({ path: `compare_apis[${i}]`, what: 'API', id: c, kind: 'apis' });
      else if (Array.isArray(c))
        c.forEach((e, j) => {
          const id = (e as Record<string, unknown> | null)?.['api'];
          if (typeof id === 'string') refs.push({ path: `compare_apis[${i}][${j}].api`, what: 'API', id, kind: 'apis' });
        });
    });
  }
  const options = (raw['self_hosted'] as Record<string, unknown> | undefined)?.['options'];
  if (Array.isArray(options)) {
    options.forEach((o, i) => {
      const id = (o as Record<string, unknown> | null)?.['gpu'];
      if (typeof id === 'string') refs.push({ path: `self_hosted.options[${i}].gpu`, what: 'GPU', id, kind: 'hardware' });
    });
  }
  const todo = refs.filter((x) => !taken.has(x.path));
  if (todo.length === 0) return [];
  const extras: CatalogSource[] = [];
  const catalogs = raw['catalogs'] as Record<string, unknown> | undefined;
  for (const want of ['hardware', 'models', 'apis'] as const) {
    const list = catalogs?.[want];
    if (!Array.isArray(list)) continue;
    for (const f of list) {
      if (typeof f !== 'string') continue;
      const p = resolve(base, f);
      if (existsSync(p)) extras.push({ want, abs: p });
    }
  }
  const catalogProblems: Problem[] = [];
  const cat = buildCatalog(root, extras, cwd, catalogProblems);
  const maps = { models: cat.models, apis: cat.apis, hardware: cat.hardware };
  return todo.filter((x) => !maps[x.kind].has(x.id)).map((x) => unknownRef(shown, x.path, x.what, x.id, maps[x.kind].keys()));
}

/**
 * Validate data of any kind (from its `kind` field) that was not read from a file, as
 * loadFile does; problems are reported against `name`. Throws ConfigError.
 */
export function loadData(raw: unknown, name = '(data)'): { kind: FileKind; data: unknown } {
  const r = checkAny(name, raw);
  if (!r.ok) throw new ConfigError(r.problems);
  return { kind: r.value.kind, data: r.value.data };
}

// ----------------------------------------------------------------------------- catalogs

export interface Catalog {
  /** each entry with the file it came from and `raw`, the entry as written (for provenance) */
  hardware: Map<string, { profile: Hardware; file: string; raw: unknown }>;
  models: Map<string, { model: Model; file: string; raw: unknown }>;
  apis: Map<string, { api: Api; file: string; raw: unknown }>;
  /** serving-engine presets (engines/*.yaml) */
  engines: Map<string, { engine: Engine; file: string; raw: unknown }>;
}

type CatalogKind = 'hardware' | 'models' | 'apis' | 'engine';

/** A catalog file to load; problems about it (missing, wrong kind) go to `blame`. */
interface CatalogSource {
  want: CatalogKind;
  abs: string;
  /** where a problem with the reference itself is reported (the workload's field), if any */
  blame?: { file: string; path: string };
}

const CONFIG_EXT = new Set(['.yaml', '.yml', '.json']);

function listConfigFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isFile() && CONFIG_EXT.has(extname(d.name).toLowerCase()))
    .map((d) => join(dir, d.name))
    .sort();
}

/** Entry `i` of the list `key` of a parsed catalog document, as written. */
function rawEntry(raw: unknown, key: 'models' | 'apis', i: number): unknown {
  return ((raw as Record<string, unknown[]>)[key] ?? [])[i];
}

function buildCatalog(root: string, extras: readonly CatalogSource[], cwd: string, problems: Problem[]): Catalog {
  const cat: Catalog = { hardware: new Map(), models: new Map(), apis: new Map(), engines: new Map() };
  // where each id was defined in this layer (extras first, then bundled): duplicates within
  // a layer are errors; an extra catalog may override a bundled id
  const add = <T>(map: Map<string, T>, id: string, entry: T, where: string, seen: Map<string, string>, what: string, shown: string, path: string) => {
    const first = seen.get(id);
    if (first !== undefined) {
      problems.push({ file: shown, path, message: m.duplicateId(what, id, first) });
      return;
    }
    seen.set(id, `${shown}${path ? `: ${path}` : ''}`);
    if (!map.has(id)) map.set(id, entry);
    void where;
  };
  const loadLayer = (sources: readonly CatalogSource[], allowMeasurements: boolean) => {
    const seen = { hardware: new Map<string, string>(), models: new Map<string, string>(), apis: new Map<string, string>(), engines: new Map<string, string>() };
    for (const src of sources) {
      const shown = shownName(src.abs, cwd);
      const r = checkPath(src.abs, shown);
      if (!r.ok) {
        if (src.blame && r.problems.length === 1 && r.problems[0]!.message === m.notFound()) {
          problems.push({ ...src.blame, message: m.catalogMissing(shown) });
        } else problems.push(...r.problems);
        continue;
      }
      const { kind, data, raw } = r.value;
      if (kind === 'measurements' && allowMeasurements) continue;
      const want = src.want;
      if (kind !== want && !(src.blame === undefined && (kind === 'models' || kind === 'apis') && (want === 'models' || want === 'apis'))) {
        problems.push(src.blame ? { ...src.blame, message: m.catalogWrongKind(want, kind) } : { file: shown, path: 'kind', message: m.wrongKind(want, kind) });
        continue;
      }
      if (kind === 'hardware') {
        const h = data as Hardware;
        add(cat.hardware, h.id, { profile: h, file: src.abs, raw }, shown, seen.hardware, 'hardware', shown, 'id');
      } else if (kind === 'models') {
        (data as KindOutput['models']).models.forEach((mo, i) =>
          add(cat.models, mo.id, { model: mo, file: src.abs, raw: rawEntry(raw, 'models', i) }, shown, seen.models, 'model', shown, `models[${i}].id`),
        );
      } else if (kind === 'engine') {
        const e = data as Engine;
        add(cat.engines, e.id, { engine: e, file: src.abs, raw }, shown, seen.engines, 'engine', shown, 'id');
      } else if (kind === 'apis') {
        (data as KindOutput['apis']).apis.forEach((a, i) => add(cat.apis, a.id, { api: a, file: src.abs, raw: rawEntry(raw, 'apis', i) }, shown, seen.apis, 'API', shown, `apis[${i}].id`));
      }
    }
  };
  loadLayer(extras, false);
  const bundled: CatalogSource[] = [];
  const hwDir = join(root, 'hardware');
  const catDir = join(root, 'workloads', 'catalog');
  // a catalog root without engines/ (a user's own hardware folder) uses the bundled presets
  const engDir = existsSync(join(root, 'engines')) ? join(root, 'engines') : join(BUNDLED_ROOT, 'engines');
  for (const [dir, want] of [[hwDir, 'hardware'], [catDir, 'models'], [engDir, 'engine']] as const) {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      problems.push({ file: shownName(dir, cwd), path: '', message: m.catalogDirMissing(shownName(dir, cwd)) });
      continue;
    }
    for (const abs of listConfigFiles(dir)) bundled.push({ want, abs });
  }
  loadLayer(bundled, true);
  return cat;
}

/**
 * Load the bundled catalogs under `root` (hardware/*.yaml, workloads/catalog/*.yaml), with
 * `extra` files searched first (their ids override bundled ones). Throws ConfigError.
 */
export function loadCatalog(opts: { root?: string; extra?: { hardware?: string[]; models?: string[]; apis?: string[] }; cwd?: string } = {}): Catalog {
  const cwd = opts.cwd ?? process.cwd();
  const extras: CatalogSource[] = [];
  for (const want of ['hardware', 'models', 'apis'] as const) {
    for (const f of opts.extra?.[want] ?? []) extras.push({ want, abs: resolve(cwd, f) });
  }
  const problems: Problem[] = [];
  const cat = buildCatalog(opts.root ?? BUNDLED_ROOT, extras, cwd, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return cat;
}

// ----------------------------------------------------------------------------- workloads

export interface ResolvedOption {
  id: string;
  label: string;
  option: Option;
  gpu: Hardware;
  /** the serving-engine preset: the option's `engine`, else self_hosted.engine */
  engine: Engine;
  /** routing options: the small self-hosted model serving the routed share (else the workload's model) */
  model?: Model;
}

export interface LoadedWorkload {
  /** absolute path of the workload file; null for a workload given as data */
  file: string | null;
  /**
   * How results name the workload: relative to the working directory when inside it, else
   * the file name alone (never an absolute path, so results can be shared); null for data.
   */
  name: string | null;
  /** the workload document as written (parsed, before defaults), embedded in results */
  raw: unknown;
  workload: Workload;
  catalog: Catalog;
  model: Model;
  /** the API baseline: one entry with share 1, or the routing mix */
  apis: { api: Api; share: number }[];
  /** `compare_apis`: extra baselines, each one entry with share 1 or a routing mix (empty or absent when none) */
  compareApis?: { api: Api; share: number }[][];
  options: ResolvedOption[];
}

const POLICY_WORDS: Record<Option['fleet']['policy'], string> = {
  fixed: 'fixed fleet',
  autoscale: 'autoscaling',
  hybrid: 'hybrid with API overflow',
  existing: 'the fleet you have',
};
const PRICING_WORDS: Record<Option['pricing'], string> = {
  on_demand: '',
  spot: ', spot',
  reserved: ', reserved',
  owned: ', owned',
};

/** `<gpu>-<weights>-<policy>[-<pricing>][-tp<n>][-routed]`, e.g. `h100-sxm-fp8-fixed-spot-tp2`. */
export function optionId(o: Option): string {
  return [o.gpu, o.weights, o.fleet.policy, ...(o.pricing !== 'on_demand' ? [o.pricing] : []), ...(o.tp !== undefined ? [`tp${o.tp}`] : []), ...(o.routing ? ['routed'] : [])].join('-');
}

/** "Llama-3.1-70B FP8 on 2×H100 SXM, fixed fleet" (no "2×" while tp is unknown). */
export function optionLabel(o: Option, model: Model, gpu: Hardware): string {
  const tp = o.tp !== undefined ? `${o.tp}×` : '';
  const f = o.fleet;
  // two existing fleets differ by what is sunk and until when: say it, or their labels read the same
  const existing = f.policy === 'existing' ? ` (${f.gpus} GPUs, ${f.sunk}${f.until_month !== undefined ? `, until month ${f.until_month}` : ''})` : '';
  return `${model.name} ${o.weights.toUpperCase()} on ${tp}${gpu.name}, ${POLICY_WORDS[f.policy]}${existing}${PRICING_WORDS[o.pricing]}${o.routing ? ', routed share (the rest to the API)' : ''}`;
}

/**
 * The id a baseline is known by: the API id, or `id:share+id:share` for a mix in the order
 * written (sim/plan's `apiId` uses the same form). O(mix).
 */
export function apiMixId(value: Workload['api']): string {
  return typeof value === 'string' ? value : value.length === 1 ? value[0]!.api : value.map((e) => `${e.api}:${e.share}`).join('+');
}

function unknownRef(file: string, path: string, what: string, id: string, known: Iterable<string>): Problem {
  const ids = [...known].sort();
  const sugg = didYouMean(suggestSimilar(id, ids));
  return { file, path, message: m.unknownId(what, id), suggestion: sugg || m.knownIds(ids) };
}

/** Shares of an API mix may differ from 1 by this much (rounding in hand-written YAML). */
export const SHARE_TOLERANCE = 1e-9;

/**
 * Load a workload file and everything it refers to. Relative paths inside it (catalogs,
 * trace) are resolved against the file's folder. Throws ConfigError with every problem.
 */
export function loadWorkload(file: string, opts: { root?: string; cwd?: string } = {}): LoadedWorkload {
  const cwd = opts.cwd ?? process.cwd();
  const abs = resolve(cwd, file);
  const shown = shownName(abs, cwd);
  const r = checkPathWithRefs(abs, shown, cwd, opts.root);
  if (!r.ok) throw new ConfigError(r.problems);
  if (r.value.kind !== 'workload') throw new ConfigError([{ file: shown, path: 'kind', message: m.wrongKind('workload', r.value.kind) }]);
  return resolveWorkload(r.value.data as Workload, r.value.raw, { file: abs, name: portableName(abs, cwd), shown, cwd, ...(opts.root !== undefined ? { root: opts.root } : {}) });
}

/** A path as results show it: relative to `cwd` when inside it, else the file name alone. */
export function portableName(abs: string, cwd: string): string {
  const rel = relative(cwd, abs);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel.split(sep).join('/') : basename(abs);
}

/**
 * Validate a workload given as data (not read from a file), then resolve it as loadWorkload
 * does; relative paths resolve against `cwd`.
 */
export function loadWorkloadData(data: unknown, opts: { root?: string; cwd?: string; name?: string } = {}): LoadedWorkload {
  const cwd = opts.cwd ?? process.cwd();
  const shown = opts.name ?? '(workload)';
  const r = checkData(shown, 'workload', data);
  if (!r.ok) throw new ConfigError(r.problems);
  return resolveWorkload(r.data as Workload, data, { file: null, name: null, shown, cwd, ...(opts.root !== undefined ? { root: opts.root } : {}) });
}

/** The catalog entries a run used, as written: what a result embeds to be re-run elsewhere. */
export interface EmbeddedCatalog {
  hardware: unknown[];
  models: unknown[];
  apis: unknown[];
  engines: unknown[];
}

/**
 * The entries of `loaded.catalog` that the workload refers to (model, APIs, GPUs, serving
 * engines, and any profile a GPU's efficiency was transferred from), as written, in id order.
 */
export function usedCatalog(loaded: LoadedWorkload): EmbeddedCatalog {
  const gpuIds = new Set(loaded.options.map((o) => o.gpu.id));
  for (const id of [...gpuIds]) {
    const from = loaded.catalog.hardware.get(id)?.profile.efficiency_transferred_from;
    if (from !== undefined && loaded.catalog.hardware.has(from)) gpuIds.add(from);
  }
  const apis = [...new Set([...loaded.apis, ...(loaded.compareApis ?? []).flat()].map((a) => a.api.id))].filter((id) => loaded.catalog.apis.has(id)).sort();
  const engines = [...new Set([loaded.workload.self_hosted.engine, ...loaded.options.map((o) => o.engine.id)])].filter((id) => loaded.catalog.engines.has(id)).sort();
  return {
    hardware: [...gpuIds].sort().map((id) => loaded.catalog.hardware.get(id)!.raw),
    models: [loaded.model.id].map((id) => loaded.catalog.models.get(id)!.raw),
    apis: apis.map((id) => loaded.catalog.apis.get(id)!.raw),
    engines: engines.map((id) => loaded.catalog.engines.get(id)!.raw),
  };
}

/**
 * Re-load a workload embedded in a result (`simulate --from`): the workload and its catalog
 * entries are validated again from what was written, and only those entries are used (no
 * catalog file on this machine is read, and the workload's `catalogs:` are not followed).
 * Problems are reported against `name` (the result file) with `scenario.…` paths.
 * A trace-driven workload cannot be re-run this way (the trace is not embedded).
 */
export function loadEmbedded(embedded: { workload: unknown; catalog: EmbeddedCatalog; file: string | null }, opts: { name: string; cwd?: string }): LoadedWorkload {
  const cwd = opts.cwd ?? process.cwd();
  const shown = opts.name;
  const problems: Problem[] = [];
  const cat: Catalog = { hardware: new Map(), models: new Map(), apis: new Map(), engines: new Map() };
  const lists = embedded.catalog as Partial<EmbeddedCatalog>;
  (lists.engines ?? []).forEach((raw, i) => {
    const r = checkData(shown, 'engine', raw);
    if (!r.ok) problems.push(...r.problems.map((p) => ({ ...p, path: formatPath(['scenario', 'catalog', 'engines', i]) + (p.path ? `.${p.path}` : '') })));
    else cat.engines.set((r.data as Engine).id, { engine: r.data as Engine, file: shown, raw });
  });
  (lists.hardware ?? []).forEach((raw, i) => {
    const r = checkData(shown, 'hardware', raw);
    if (!r.ok) problems.push(...r.problems.map((p) => ({ ...p, path: formatPath(['scenario', 'catalog', 'hardware', i]) + (p.path ? `.${p.path}` : '') })));
    else cat.hardware.set((r.data as Hardware).id, { profile: r.data as Hardware, file: shown, raw });
  });
  for (const key of ['models', 'apis'] as const) {
    (lists[key] ?? []).forEach((raw, i) => {
      const r = checkData(shown, key, { kind: key, [key]: [raw] });
      if (!r.ok) {
        problems.push(...r.problems.map((p) => ({ ...p, path: formatPath(['scenario', 'catalog', key, i]) + (p.path ? ` (${p.path})` : '') })));
        return;
      }
      if (key === 'models') {
        const mo = (r.data as KindOutput['models']).models[0]!;
        cat.models.set(mo.id, { model: mo, file: shown, raw });
      } else {
        const a = (r.data as KindOutput['apis']).apis[0]!;
        cat.apis.set(a.id, { api: a, file: shown, raw });
      }
    });
  }
  const w = checkData(shown, 'workload', embedded.workload);
  if (!w.ok) problems.push(...w.problems.map((p) => ({ ...p, path: 'scenario.workload' + (p.path ? `.${p.path}` : '') })));
  if (problems.length > 0 || !w.ok) throw new ConfigError(problems);
  const data = w.data as Workload;
  if (data.traffic.trace) throw new ConfigError([{ file: shown, path: 'scenario.workload.traffic.trace', message: m.embeddedTrace() }]);
  const { catalogs: _ignored, ...rest } = data;
  void _ignored;
  return resolveWorkload(rest as Workload, embedded.workload, { file: null, name: embedded.file, shown, cwd, catalog: cat });
}

function resolveWorkload(w: Workload, raw: unknown, ctx: { file: string | null; name: string | null; shown: string; cwd: string; root?: string; catalog?: Catalog }): LoadedWorkload {
  const { shown } = ctx;
  const base = ctx.file ? dirname(ctx.file) : ctx.cwd;
  const problems: Problem[] = [];
  const at = (path: string, message: string, suggestion?: string) => problems.push({ file: shown, path, message, ...(suggestion ? { suggestion } : {}) });

  // extra catalogs, relative to the workload file
  const extras: CatalogSource[] = [];
  for (const want of ['hardware', 'models', 'apis'] as const) {
    (w.catalogs?.[want] ?? []).forEach((f, i) => {
      const path = formatPath(['catalogs', want, i]);
      const p = resolve(base, f);
      if (ctx.file !== null && p === ctx.file) at(path, m.catalogSelf());
      else if (!existsSync(p)) at(path, m.catalogMissing(shownName(p, ctx.cwd)));
      else extras.push({ want, abs: p, blame: { file: shown, path } });
    });
  }
  const catalog = ctx.catalog ?? buildCatalog(ctx.root ?? BUNDLED_ROOT, extras, ctx.cwd, problems);

  // model
  const modelEntry = catalog.models.get(w.model);
  if (!modelEntry) problems.push(unknownRef(shown, 'model', 'model', w.model, catalog.models.keys()));

  // API baseline, and the extra baselines compared on the same trials
  const apiRef = (path: string, value: Workload['api']): { api: Api; share: number }[] => {
    const mix: { api: Api; share: number }[] = [];
    if (typeof value === 'string') {
      const a = catalog.apis.get(value);
      if (a) mix.push({ api: a.api, share: 1 });
      else problems.push(unknownRef(shown, path, 'API', value, catalog.apis.keys()));
      return mix;
    }
    const seen = new Set<string>();
    let sum = 0;
    value.forEach((e, i) => {
      sum += e.share;
      if (seen.has(e.api)) at(`${path}[${i}].api`, m.duplicateApiInMix(e.api));
      seen.add(e.api);
      const a = catalog.apis.get(e.api);
      if (a) mix.push({ api: a.api, share: e.share });
      else problems.push(unknownRef(shown, `${path}[${i}].api`, 'API', e.api, catalog.apis.keys()));
    });
    if (Math.abs(sum - 1) > SHARE_TOLERANCE) at(path, m.sharesSum(sum));
    return mix;
  };
  const apis = apiRef('api', w.api);
  const compareApis: { api: Api; share: number }[][] = [];
  const baselines = new Map<string, string>([[apiMixId(w.api), 'api']]);
  (w.compare_apis ?? []).forEach((c, i) => {
    const path = `compare_apis[${i}]`;
    const key = apiMixId(c);
    const first = baselines.get(key);
    if (first !== undefined) at(path, first === 'api' ? m.compareIsPrimary(key) : m.compareDuplicate(key, first));
    else baselines.set(key, path);
    compareApis.push(apiRef(path, c));
  });

  // trace
  const trace = w.traffic.trace;
  if (trace && !existsSync(resolve(base, trace.file))) at('traffic.trace.file', m.traceMissing(shownName(resolve(base, trace.file), ctx.cwd)));

  // serving engines
  const engineRef = (path: string, id: string): Engine | undefined => {
    const e = catalog.engines.get(id);
    if (!e) problems.push(unknownRef(shown, path, 'engine', id, catalog.engines.keys()));
    return e?.engine;
  };
  const defaultEngine = engineRef('self_hosted.engine', w.self_hosted.engine);

  // options
  const options: ResolvedOption[] = [];
  const ids = new Map<string, number>();
  w.self_hosted.options.forEach((o, i) => {
    const path = (k: string) => `self_hosted.options[${i}].${k}`;
    const id = o.id ?? optionId(o);
    const first = ids.get(id);
    if (first !== undefined) at(o.id !== undefined ? path('id') : `self_hosted.options[${i}]`, m.duplicateOptionId(id, first));
    else ids.set(id, i);
    const hw = catalog.hardware.get(o.gpu);
    if (!hw) {
      problems.push(unknownRef(shown, path('gpu'), 'GPU', o.gpu, catalog.hardware.keys()));
      return;
    }
    const g = hw.profile;
    if (o.pricing === 'spot' && g.price_per_gpu_hour.spot === undefined) at(path('pricing'), m.pricingNeeds('spot', g.id, 'price_per_gpu_hour.spot'));
    if (o.pricing === 'reserved' && g.price_per_gpu_hour.reserved === undefined) at(path('pricing'), m.pricingNeeds('reserved', g.id, 'price_per_gpu_hour.reserved'));
    if (o.pricing === 'owned') {
      if (g.capex_per_gpu_usd === undefined) at(path('pricing'), m.pricingNeeds('owned', g.id, 'capex_per_gpu_usd'));
      if (g.power_w === undefined) at(path('pricing'), m.pricingNeeds('owned', g.id, 'power_w'));
      if (w.self_hosted.power === undefined) at(path('pricing'), m.ownedNeedsPower());
    }
    const engine = o.engine !== undefined ? engineRef(path('engine'), o.engine) : defaultEngine;
    if (o.fleet.policy === 'existing') {
      const f = o.fleet;
      if (f.sunk === 'owned' && g.power_w === undefined) at(path('fleet.sunk'), m.existingOwnedNeeds(g.id, 'power_w in the hardware profile'));
      if (f.sunk === 'owned' && w.self_hosted.power === undefined) at(path('fleet.sunk'), m.existingOwnedNeeds(g.id, 'self_hosted.power (usd_per_kwh, pue) in the workload'));
      if (o.pricing === 'reserved' || o.pricing === 'owned') at(path('pricing'), m.existingRentedPricing(o.pricing));
      if (f.until_month !== undefined && f.until_month > w.horizon_months) at(path('fleet.until_month'), m.existingUntil(f.until_month, w.horizon_months));
    }
    let routedModel: Model | undefined;
    if (o.routing) {
      const r = catalog.models.get(o.routing.model);
      if (r) routedModel = r.model;
      else problems.push(unknownRef(shown, path('routing.model'), 'model', o.routing.model, catalog.models.keys()));
    }
    if (modelEntry && engine) {
      const served = routedModel ?? modelEntry.model;
      options.push({ id, label: optionLabel(o, served, g), option: o, gpu: g, engine, ...(routedModel ? { model: routedModel } : {}) });
    }
  });

  if (problems.length > 0 || !modelEntry) throw new ConfigError(problems);
  return { file: ctx.file, name: ctx.name, raw, workload: w, catalog, model: modelEntry.model, apis, compareApis, options };
}
