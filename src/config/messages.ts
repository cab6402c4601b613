/**
 * Every message the config loader reports, in one place (tests and docs/config.md quote
 * them; wording changes are deliberate). Each states the rule that was broken.
 */
import type { FileKind } from './schema.js';

export const KIND_NAMES: Record<FileKind, string> = {
  hardware: 'a hardware profile',
  models: 'a models catalog',
  apis: 'an APIs catalog',
  workload: 'a workload',
  measurements: 'a measurements file',
  engine: 'a serving-engine preset',
};

import { tooLargeMessage } from './range.js';
export { MAX_ABS_NUMBER } from './range.js';

/** Short description of a value as the user wrote it: `"fp9"`, `true`, `a list`. */
export function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (Array.isArray(v)) return 'a list';
  if (v instanceof Date) return `a date (${v.toISOString().slice(0, 10)}; quote it to make it a string)`;
  if (typeof v === 'object') return 'a mapping';
  return typeof v;
}

const TYPE_WORDS: Record<string, string> = {
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
  object: 'a mapping (key: value)',
  array: 'a list',
  null: 'null',
};

export const m = {
  // files
  notFound: () => 'file not found',
  isDirectory: () => 'is a directory, not a file',
  unreadable: (why: string) => `cannot read the file: ${why}`,
  empty: () => 'the file is empty',
  badExtension: (ext: string) => `unsupported file type "${ext}" (expected .yaml, .yml or .json)`,
  yamlSyntax: (line: number, col: number, why: string) => `YAML syntax error at line ${line}, column ${col}: ${why}`,
  jsonSyntax: (why: string) => `JSON syntax error: ${why}`,
  jsonDuplicateKey: (line: number, col: number) => `JSON duplicate key at line ${line}, column ${col}: map keys must be unique`,
  yamlTooManyValues: (n: number, max: number) =>
    `too many values for a YAML file (${n.toLocaleString('en-US')} commas and lines; at most ${max.toLocaleString('en-US')}): write large data as JSON`,
  aliasWork: (nodes: number, max: number) =>
    `YAML aliases expand to more than ${max.toLocaleString('en-US')} values (${nodes >= max ? 'at least ' : ''}${nodes.toLocaleString('en-US')}); write the data out or use fewer aliases`,
  notMapping: (got: unknown) => `the file must hold a mapping (key: value) at the top level, not ${describe(got)}`,
  missingKind: (kinds: readonly string[]) => `missing "kind" (one of ${kinds.join(', ')})`,
  unknownKind: (k: unknown, kinds: readonly string[]) =>
    typeof k === 'string' ? `unknown kind ${describe(k)} (expected one of ${kinds.join(', ')})` : `must be one of ${kinds.join(', ')} (got ${describe(k)})`,
  wrongKind: (want: FileKind, got: FileKind) => `expected ${KIND_NAMES[want]} file, got ${KIND_NAMES[got]} (kind: ${got})`,
  // values
  notFinite: (v: unknown) => `must be a finite number (got ${describe(v)})`,
  tooLarge: (v: number) => tooLargeMessage(v),
  stringTooLong: (n: number, max: number) => `a string of ${n.toLocaleString('en-US')} characters is too long (config strings must be at most ${max.toLocaleString('en-US')})`,
  required: () => 'is required',
  unknownKey: () => 'unknown key',
  mustBe: (expected: readonly string[], got: unknown) => {
    const set = new Set(expected);
    let want: string;
    if (set.has('number') && set.has('string') && set.has('object')) {
      want = 'a number, an expression ("5000 * 1.2"), an interval ("2 to 5") or a distribution {type: ...}';
    } else if (set.has('number') && set.has('string')) {
      want = 'a number or an expression';
    } else {
      const words = [...set].map((t) => TYPE_WORDS[t] ?? t);
      want = words.length <= 1 ? (words[0] ?? 'something else') : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
    }
    return `must be ${want} (got ${describe(got)})`;
  },
  oneOf: (values: readonly unknown[], got: unknown) =>
    values.length === 1
      ? `must be ${describe(values[0])} (got ${describe(got)})`
      : `must be one of ${values.map((v) => String(v)).join(', ')} (got ${describe(got)})`,
  tooSmall: (what: 'array' | 'string' | 'other', min: number, exact: boolean) =>
    what === 'array'
      ? `must have ${exact ? 'exactly' : 'at least'} ${min} item${min === 1 ? '' : 's'}`
      : what === 'string'
        ? min === 1 && !exact
          ? 'must not be empty'
          : `must be ${exact ? 'exactly' : 'at least'} ${min} characters long`
        : `must be >= ${min}`,
  tooBig: (what: 'array' | 'string' | 'other', max: number, exact: boolean) =>
    what === 'array'
      ? `must have ${exact ? 'exactly' : 'at most'} ${max} item${max === 1 ? '' : 's'}`
      : what === 'string'
        ? `must be ${exact ? 'exactly' : 'at most'} ${max} characters long`
        : `must be <= ${max}`,
  // references
  unknownId: (what: string, id: string) => `unknown ${what} ${describe(id)}`,
  knownIds: (ids: readonly string[]) => {
    const shown = ids.slice(0, 12);
    return `known: ${shown.join(', ')}${ids.length > shown.length ? `, … (${ids.length} in all)` : ''}`;
  },
  duplicateId: (what: string, id: string, first: string) => `duplicate ${what} id "${id}" (first defined at ${first})`,
  duplicateOptionId: (id: string, first: number) =>
    `duplicate option id "${id}" (same as self_hosted.options[${first}]); give one of them an explicit id`,
  sharesSum: (sum: number) => `API mix shares must sum to 1 (got ${Number(sum.toPrecision(12))})`,
  duplicateApiInMix: (id: string) => `API "${id}" appears twice in the mix`,
  compareIsPrimary: (id: string) => `"${id}" is already the primary baseline (api); compare_apis lists the other baselines to compare against`,
  compareDuplicate: (id: string, first: string) => `baseline "${id}" is listed twice (first at ${first})`,
  pricingNeeds: (pricing: string, gpu: string, field: string) =>
    `pricing "${pricing}" needs ${field} in the hardware profile of "${gpu}"`,
  existingOwnedNeeds: (gpu: string, what: string) => `an existing fleet with sunk: owned still pays power: it needs ${what} (GPU "${gpu}"); or use sunk: reserved if nothing more is paid`,
  existingRentedPricing: (pricing: string) =>
    `an existing fleet's pricing is the rate of replicas rented by the hour for overflow: on_demand or spot (got "${pricing}"); what you own or reserved goes in fleet.sunk`,
  existingUntil: (until: number, horizon: number) => `until_month ${until} is past the ${horizon}-month horizon; leave it out if the fleet lasts the whole horizon`,
  ownedNeedsPower: () => 'pricing "owned" needs self_hosted.power (usd_per_kwh, pue) in the workload',
  catalogMissing: (p: string) => `catalog file not found: ${p}`,
  embeddedTrace: () => 'a trace-driven run cannot be re-run with --from (the trace file is not embedded in the result); run the workload file instead',
  catalogSelf: () => 'refers to this workload file itself (catalogs list hardware, models or apis files)',
  catalogWrongKind: (want: FileKind, got: FileKind) => `must name ${KIND_NAMES[want]} file, but it is ${KIND_NAMES[got]}`,
  catalogDirMissing: (dir: string) => `bundled catalog folder not found: ${dir}`,
  traceMissing: (p: string) => `trace file not found: ${p}`,
} as const;
