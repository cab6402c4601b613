/**
 * The field reference of docs/config.md, generated from the zod schemas (the same ones the
 * loader validates with and the JSON Schemas are generated from): every field's path, what
 * it accepts, its default, its range, its description (the JSON Schema `description`, unit
 * included) and an example. `npm run schemas` rewrites it between the markers; a test fails
 * when the committed docs are not current.
 *
 * Method: a depth-first walk of the schema's definition tree (object → fields, optional /
 * default / prefault → inner, pipe → input side, array → element, union → each object
 * variant); O(fields).
 */
import type { z } from 'zod';
import { globalRegistry } from 'zod';
import { FileKinds, numericField } from './schema.js';
import type { FileKind } from './schema.js';
import { rangeRule } from './range.js';

export const DOCS_BEGIN = '<!-- BEGIN GENERATED FIELD REFERENCE (npm run schemas; do not edit by hand) -->';
export const DOCS_END = '<!-- END GENERATED FIELD REFERENCE -->';

export interface FieldRow {
  path: string;
  type: string;
  /** "required", "optional", or the default as written */
  default: string;
  range: string;
  description: string;
  example: string;
}

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  defaultValue?: unknown;
  in?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
  values?: unknown[];
  entries?: Record<string, unknown>;
}

const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

function meta(s: z.ZodType): { description?: string; examples?: unknown[] } {
  return (globalRegistry.get(s) ?? {}) as { description?: string; examples?: unknown[] };
}

/** A value as a user would write it in YAML flow style: 0.8, fixed, [a, b], {policy: fixed}. */
export function yamlish(v: unknown): string {
  if (typeof v === 'string') return /^[\w./@ -]*$/.test(v) && v.trim() === v && v !== '' ? v : JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(yamlish).join(', ')}]`;
  if (v !== null && typeof v === 'object') return `{ ${Object.entries(v).map(([k, x]) => `${k}: ${yamlish(x)}`).join(', ')} }`;
  return String(v);
}

/** What a schema accepts, in words. */
function typeOf(s: z.ZodType): string {
  const num = numericField(s);
  if (num) return num.kind === 'dist' ? 'uncertain number' : 'number';
  const d = defOf(s);
  switch (d.type) {
    case 'optional':
    case 'default':
    case 'prefault':
      return typeOf(d.innerType!);
    case 'pipe':
      return typeOf(d.in!);
    case 'string':
      return 'text';
    case 'boolean':
      return 'true or false';
    case 'literal':
      return (d.values ?? []).map((v) => `\`${String(v)}\``).join(' or ');
    case 'enum':
      return Object.values(d.entries ?? {}).map((v) => `\`${String(v)}\``).join(', ');
    case 'array': {
      const inner = typeOf(d.element!);
      return inner === 'object' ? 'list of objects' : `list of ${inner}`;
    }
    case 'object':
      return 'object';
    case 'union':
      return [...new Set((d.options ?? []).map(typeOf))].join(' or ');
    case 'record':
      return 'map';
    default:
      return d.type;
  }
}

/** The range rule of the numeric schema inside `s`, or "". */
function rangeOf(s: z.ZodType): string {
  const num = numericField(s);
  if (num) return rangeRule(num.range);
  const d = defOf(s);
  if (d.type === 'optional' || d.type === 'default' || d.type === 'prefault') return rangeOf(d.innerType!);
  if (d.type === 'union') return [...new Set((d.options ?? []).map(rangeOf).filter((r) => r !== ''))].join('; ');
  return '';
}

/** First description / example found from the outermost wrapper inwards. */
function docOf(s: z.ZodType): { description: string; example: unknown } {
  let description: string | undefined;
  let example: unknown;
  let cur: z.ZodType | undefined = s;
  while (cur) {
    const m = meta(cur);
    description ??= m.description;
    if (example === undefined && m.examples !== undefined) example = m.examples[0];
    const d = defOf(cur);
    cur = d.type === 'optional' || d.type === 'default' || d.type === 'prefault' ? d.innerType : d.type === 'pipe' ? d.in : undefined;
  }
  return { description: description ?? '', example };
}

function defaultOf(s: z.ZodType): string {
  const d = defOf(s);
  if (d.type === 'optional') return 'optional';
  if (d.type === 'default' || d.type === 'prefault') {
    const v = d.defaultValue;
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0) return 'its fields\' defaults';
    return `\`${yamlish(v)}\``;
  }
  return 'required';
}

/** The object schema(s) inside `s` to descend into, with a label for union variants. */
function children(s: z.ZodType): { label: string; shape: Record<string, z.ZodType> }[] {
  if (numericField(s)) return []; // distributions are documented once, not under every field
  const d = defOf(s);
  if (d.type === 'optional' || d.type === 'default' || d.type === 'prefault') return children(d.innerType!);
  if (d.type === 'pipe') return children(d.in!);
  if (d.type === 'object') return [{ label: '', shape: d.shape! }];
  if (d.type === 'array') return children(d.element!).map((c) => ({ label: `[]${c.label}`, shape: c.shape }));
  if (d.type === 'union') {
    const objects = (d.options ?? []).filter((o) => children(o).length > 0);
    return objects.flatMap((o) => {
      const inner = children(o);
      // a discriminated variant is named by its literal field: "(policy: autoscale)"
      const lit = Object.entries(inner[0]?.shape ?? {}).find(([, f]) => defOf(f).type === 'literal');
      const tag = lit && objects.length > 1 ? ` (${lit[0]}: ${String(defOf(lit[1]).values?.[0])})` : '';
      return inner.map((c) => ({ label: `${c.label}${tag}`, shape: c.shape }));
    });
  }
  return [];
}

/** Every field of a file kind, depth first, in schema order. */
export function fieldRows(kind: FileKind): FieldRow[] {
  const rows: FieldRow[] = [];
  const walk = (shape: Record<string, z.ZodType>, prefix: string) => {
    for (const [key, field] of Object.entries(shape)) {
      const path = prefix ? `${prefix}.${key}` : key;
      const { description, example } = docOf(field);
      rows.push({ path, type: typeOf(field), default: defaultOf(field), range: rangeOf(field), description, example: example === undefined ? '' : yamlish(example) });
      for (const c of children(field)) walk(c.shape, `${path}${c.label}`);
    }
  };
  for (const c of children(FileKinds[kind])) walk(c.shape, c.label);
  return rows;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** The generated reference for every file kind, as markdown (between the markers). */
export function fieldReference(): string {
  const parts: string[] = [DOCS_BEGIN, '', '## Field reference', ''];
  parts.push('Generated from `src/config/schema.ts`; the Description column is the `description` each field has in `schemas/*.schema.json` (editors show it on hover). "uncertain number": a number, an expression, a 90 % interval `"low to high"` or a distribution object (see Numbers and distributions).', '');
  for (const kind of Object.keys(FileKinds) as FileKind[]) {
    parts.push(`### \`${kind}\` files`, '', '| Field | Accepts | Default | Range | Description | Example |', '|---|---|---|---|---|---|');
    for (const r of fieldRows(kind)) {
      parts.push(`| \`${cell(r.path)}\` | ${cell(r.type)} | ${cell(r.default)} | ${cell(r.range)} | ${cell(r.description)} | ${r.example ? `\`${cell(r.example)}\`` : ''} |`);
    }
    parts.push('');
  }
  parts.push(DOCS_END);
  return parts.join('\n');
}

/** `text` with the generated section replaced (or appended when the markers are missing). */
export function withFieldReference(text: string): string {
  const a = text.indexOf(DOCS_BEGIN);
  const b = text.indexOf(DOCS_END);
  if (a >= 0 && b > a) return text.slice(0, a) + fieldReference() + text.slice(b + DOCS_END.length);
  return `${text.replace(/\n*$/, '\n\n')}${fieldReference()}\n`;
}
