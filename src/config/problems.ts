/**
 * Problems found in config files, and the error that carries them. Every problem names the
 * file, the field path (`self_hosted.options[1].gpu`), the rule, and where it can, a
 * suggestion. Zod issues are translated here into that form (zod's own wording, "Invalid
 * input", tells the user nothing).
 */
import type { z } from 'zod';
import { UserError } from '../errors.js';
import { safeText } from '../util/terminal.js';
import { m, describe } from './messages.js';
import { suggestSimilar, didYouMean } from './suggest.js';

export interface Problem {
  file: string;
  /** dotted field path with [i] indices; '' for the whole file; "line 3, column 5" for syntax */
  path: string;
  message: string;
  suggestion?: string;
}

/** Longest problem line shown, characters (a key or value quoted in it may be megabytes). */
const MAX_PROBLEM_LENGTH = 2000;

/** `workloads/x.yaml: traffic.requests_pr_day: unknown key (did you mean "requests_per_day"?)` */
export function formatProblem(p: Problem): string {
  const where = p.path ? `${p.file}: ${p.path}: ` : `${p.file}: `;
  // one line, no control characters: file names and quoted values come from the user
  return safeText(`${where}${p.message}${p.suggestion ? ` (${p.suggestion})` : ''}`, MAX_PROBLEM_LENGTH);
}

/** All problems, one a line, in the order found. */
export function formatProblems(problems: readonly Problem[]): string {
  return problems.map(formatProblem).join('\n');
}

/** Bad config input: a UserError (exit code 2) carrying every problem found. */
export class ConfigError extends UserError {
  readonly problems: Problem[];
  constructor(problems: Problem[]) {
    super(problems.length === 1 ? formatProblems(problems) : `${problems.length} problems:\n${formatProblems(problems)}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export type PathSeg = string | number;

/** `["self_hosted", "options", 1, "gpu"]` → `self_hosted.options[1].gpu` */
export function formatPath(path: readonly PropertyKey[]): string {
  let s = '';
  for (const seg of path) {
    if (typeof seg === 'number') s += `[${seg}]`;
    else {
      const k = String(seg);
      const plain = /^[A-Za-z_$][\w$-]*$/.test(k);
      s += plain ? (s ? `.${k}` : k) : `[${JSON.stringify(k)}]`;
    }
  }
  return s;
}

/** The value at `path` in `data` (undefined when absent); own properties only. */
export function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = data;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    const key = typeof seg === 'symbol' ? seg : String(seg);
    if (!Object.prototype.hasOwnProperty.call(v, key)) return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

// ------------------------------------------------------------------ walking zod 4 schemas

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  in?: z.ZodType;
  out?: z.ZodType;
  options?: z.ZodType[];
  discriminator?: string;
  element?: z.ZodType;
  valueType?: z.ZodType;
  values?: unknown[];
  entries?: Record<string, unknown>;
}
const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** Strip optional/default/prefault/pipe wrappers; pick the union branch that fits `data`. */
function unwrap(schema: z.ZodType, data: unknown): z.ZodType | undefined {
  let s: z.ZodType | undefined = schema;
  for (let guard = 0; s && guard < 20; guard++) {
    const d = defOf(s);
    switch (d.type) {
      case 'optional':
      case 'default':
      case 'prefault':
      case 'nullable':
      case 'readonly':
      case 'catch':
        s = d.innerType;
        continue;
      case 'pipe':
        s = d.in && defOf(d.in).type !== 'transform' ? d.in : d.out;
        continue;
      case 'union': {
        const objects = (d.options ?? []).map((o) => unwrap(o, data)).filter((o): o is z.ZodType => {
          const t = o ? defOf(o).type : '';
          return Array.isArray(data) ? t === 'array' : t === 'object' || t === 'record';
        });
        if (d.discriminator && data && typeof data === 'object') {
          const tag = (data as Record<string, unknown>)[d.discriminator];
          const hit = objects.find((o) => {
            const lit = defOf(o).shape?.[d.discriminator!];
            return lit !== undefined && (defOf(lit).values ?? []).includes(tag);
          });
          return hit ?? objects[0];
        }
        return objects[0];
      }
      default:
        return s;
    }
  }
  return s;
}

/** The keys a mapping may have at `path` (for did-you-mean on unknown keys). */
export function knownKeysAt(schema: z.ZodType, root: unknown, path: readonly PropertyKey[]): string[] {
  let s: z.ZodType | undefined = schema;
  for (let i = 0; i <= path.length && s; i++) {
    const here = valueAt(root, path.slice(0, i));
    s = unwrap(s, here);
    if (!s) return [];
    if (i === path.length) break;
    const d = defOf(s);
    const seg = path[i];
    if (d.type === 'object') s = d.shape?.[String(seg)];
    else if (d.type === 'array') s = d.element;
    else if (d.type === 'record') s = d.valueType;
    else return [];
  }
  if (!s) return [];
  const d = defOf(s);
  return d.type === 'object' ? Object.keys(d.shape ?? {}) : [];
}

// ------------------------------------------------------------------ zod issues → problems

type Issue = z.core.$ZodIssue;

/** Does this union branch fail only because the value has another type? */
function onlyTypeMismatch(issues: readonly Issue[]): boolean {
  return issues.length > 0 && issues.every((i) => i.path.length === 0 && (i.code === 'invalid_type' || (i.code === 'invalid_union' && onlyTypeMismatch(i.errors.flat()))));
}

function expectedTypes(issues: readonly Issue[], out: string[] = []): string[] {
  for (const i of issues) {
    if (i.code === 'invalid_type') out.push(i.expected);
    else if (i.code === 'invalid_union') expectedTypes(i.errors.flat(), out);
    else if (i.code === 'invalid_value') out.push(...i.values.map((v) => JSON.stringify(v)));
  }
  return out;
}

/**
 * Translate zod issues for `data` (validated by `schema`) into problems of `file`.
 * Union errors pick the branch that matches the value's type; a value of no accepted type
 * reads "must be a number or an expression (got true)".
 */
export function zodProblems(file: string, schema: z.ZodType, data: unknown, issues: readonly Issue[], prefix: readonly PropertyKey[] = []): Problem[] {
  const out: Problem[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    const value = valueAt(data, path);
    const push = (message: string, p: readonly PropertyKey[] = path, suggestion?: string) =>
      out.push({ file, path: formatPath(p), message, ...(suggestion ? { suggestion } : {}) });
    switch (issue.code) {
      case 'unrecognized_keys': {
        const known = knownKeysAt(schema, data, path);
        for (const key of issue.keys) {
          push(m.unknownKey(), [...path, key], didYouMean(suggestSimilar(key, known)) || (known.length ? `expected one of ${known.join(', ')}` : undefined));
        }
        break;
      }
      case 'invalid_union': {
        if (issue.errors.length === 0 && 'discriminator' in issue) {
          // discriminated union with an unknown tag: path already ends at the tag
          const options = (issue as unknown as { options?: unknown[] }).options ?? [];
          if (value === undefined) push(`${m.required()} (one of ${options.map(String).join(', ')})`);
          else push(m.oneOf(options, value), path, (typeof value === 'string' && didYouMean(suggestSimilar(value, options.map(String)))) || undefined);
          break;
        }
        const branches = issue.errors.filter((b) => !onlyTypeMismatch(b));
        if (value === undefined) push(m.required());
        else if (branches.length === 0) push(m.mustBe(expectedTypes(issue.errors.flat()), value));
        else {
          // the branch with the fewest problems is the one the user meant
          const best = branches.reduce((a, b) => (b.length < a.length ? b : a));
          out.push(...zodProblems(file, schema, data, best, path));
        }
        break;
      }
      case 'invalid_type':
        if (value === undefined) push(m.required());
        else push(m.mustBe([issue.expected], value));
        break;
      case 'invalid_value': {
        const sugg = typeof value === 'string' ? didYouMean(suggestSimilar(value, issue.values.map(String))) : '';
        push(m.oneOf(issue.values, value), path, sugg || undefined);
        break;
      }
      case 'too_small': {
        const what = issue.origin === 'array' ? 'array' : issue.origin === 'string' ? 'string' : 'other';
        push(m.tooSmall(what, Number(issue.minimum), issue.exact === true) + (what === 'array' && Array.isArray(value) ? ` (got ${value.length})` : ''));
        break;
      }
      case 'too_big': {
        const what = issue.origin === 'array' ? 'array' : issue.origin === 'string' ? 'string' : 'other';
        push(m.tooBig(what, Number(issue.maximum), issue.exact === true) + (what === 'array' && Array.isArray(value) ? ` (got ${value.length})` : ''));
        break;
      }
      case 'invalid_format':
        push(issue.message.startsWith('must') ? `${issue.message} (got ${describe(value)})` : `must be a valid ${issue.format} (got ${describe(value)})`);
        break;
      default:
        push(issue.message);
    }
  }
  return out;
}
