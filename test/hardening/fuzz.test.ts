/**
 * Property: whatever a config file holds, the loader either accepts it or throws a
 * ConfigError whose problems each name a file, a path and a rule; never another exception,
 * never zod's bare "Invalid input", never a stack trace in the message.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { ConfigError, loadData, loadWorkloadData } from '../../src/config/index.js';

const ROOT = 'test/config/fixtures/root';
const BASE = parse(readFileSync(`${ROOT}/workloads/ok.yaml`, 'utf8')) as Record<string, unknown>;

function expectAcceptedOrConfigError(f: () => unknown): void {
  try {
    f();
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    expect(e.problems.length).toBeGreaterThan(0);
    for (const p of e.problems) {
      expect(typeof p.file).toBe('string');
      expect(typeof p.path).toBe('string');
      expect(p.message.length).toBeGreaterThan(0);
      expect(p.message).not.toMatch(/Invalid (input|option|discriminator)|Unrecognized key/);
    }
    expect(e.message).not.toContain('    at ');
  }
}

/** Leaf values that config files can hold, with the awkward ones over-represented. */
const leaf = fc.oneof(
  fc.constantFrom(0, -1, 1, 0.5, 1e300, -1e300, Number.NaN, Infinity, -Infinity, null, true, '', 'NaN', '1 to 2', '2 to 1', '5 * 2', 'x = 1', '"".constructor', 'pi', '1e400', '__proto__', 'fixed', 'h100-sxm'),
  fc.double(),
  fc.integer(),
  fc.string({ maxLength: 12 }),
  fc.boolean(),
);
const value: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('v'), { maxLength: 3 }),
    fc.dictionary(fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('type', 'min', 'max', 'mode', 'kind', 'id', 'policy', '__proto__', 'constructor')), tie('v'), { maxKeys: 3 }),
  ),
})).v;

/** Every path (list of keys/indices) in a plain data tree. */
function paths(o: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [prefix];
  if (Array.isArray(o)) o.forEach((v, i) => out.push(...paths(v, [...prefix, i])));
  else if (o && typeof o === 'object') for (const [k, v] of Object.entries(o)) out.push(...paths(v, [...prefix, k]));
  return out;
}

type Mutation = { at: number; op: 'set' | 'delete' | 'add'; key: string; v: unknown };

/** Apply mutations to a structural copy (the base is never touched). */
function mutate(base: unknown, muts: Mutation[]): unknown {
  const root = structuredClone(base) as Record<string, unknown>;
  for (const mu of muts) {
    const all = paths(root).filter((p) => p.length > 0);
    const path = all[mu.at % all.length];
    if (!path) continue;
    let parent: unknown = root;
    for (const seg of path.slice(0, -1)) parent = (parent as Record<string | number, unknown>)[seg];
    const last = path[path.length - 1]!;
    const obj = parent as Record<string | number, unknown>;
    if (mu.op === 'set') obj[last] = mu.v;
    else if (mu.op === 'delete') {
      if (Array.isArray(obj)) obj.splice(Number(last), 1);
      else delete obj[last];
    } else if (!Array.isArray(obj)) Object.defineProperty(obj, mu.key, { value: mu.v, enumerable: true, writable: true, configurable: true });
  }
  return root;
}

const mutation = fc.record({ at: fc.nat(), op: fc.constantFrom('set', 'delete', 'add') as fc.Arbitrary<Mutation['op']>, key: fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom('__proto__', 'constructor', 'requests_pr_day')), v: value });

describe('loader fuzzing', () => {
  it('random objects of any kind: accepted or a ConfigError', () => {
    const kinds = fc.constantFrom(undefined, 'hardware', 'models', 'apis', 'workload', 'measurements', 'workoad', 3);
    fc.assert(
      fc.property(kinds, fc.dictionary(fc.string({ maxLength: 10 }), value, { maxKeys: 6 }), (kind, rest) => {
        const data = kind === undefined ? rest : { ...rest, kind };
        expectAcceptedOrConfigError(() => loadData(data, 'fuzz.yaml'));
      }),
      { numRuns: 200, seed: 42 },
    );
  });

  it('anything at the top level: accepted or a ConfigError', () => {
    fc.assert(
      fc.property(value, (v) => expectAcceptedOrConfigError(() => loadData(v, 'fuzz.yaml'))),
      { numRuns: 100, seed: 7 },
    );
  });

  it('mutations of a valid workload: accepted or a ConfigError, base untouched', () => {
    const before = JSON.stringify(BASE);
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (muts) => {
        const data = mutate(BASE, muts);
        expectAcceptedOrConfigError(() => loadWorkloadData(data, { root: ROOT, cwd: `${ROOT}/workloads`, name: 'fuzz.yaml' }));
      }),
      { numRuns: 200, seed: 1 },
    );
    expect(JSON.stringify(BASE)).toBe(before);
  });
});

describe('loader fuzzing: file text', () => {
  it('random YAML text: accepted or a ConfigError', async () => {
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { loadFile } = await import('../../src/config/index.js');
    const dir = mkdtempSync(join(tmpdir(), 'breakeven-fuzz-'));
    const fragments = fc.constantFrom('kind: workload\n', 'kind: hardware\n', 'a: [1, 2\n', '  - x\n', 'b: &x {c: *x}\n', ': :\n', '"\n', '\t', 'k: .nan\n', '---\n', '? a\n', '!!binary x\n', '*y\n', 'measurements: []\n');
    try {
      fc.assert(
        fc.property(fc.array(fc.oneof(fragments, fc.string({ maxLength: 8 })), { maxLength: 6 }), (parts) => {
          const f = join(dir, 'f.yaml');
          writeFileSync(f, parts.join(''));
          expectAcceptedOrConfigError(() => loadFile(f));
        }),
        { numRuns: 150, seed: 3 },
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
