/**
 * Hostile and careless input, in-process through `run(argv, io)` (issue #12): every case ends
 * with the exact message and exit code, promptly, and writes nothing it should not. Cases
 * that need a generated file (FIFOs, megabyte strings, alias bombs, traces) live here; static
 * config files are in test/corpus/bad/. Kept cheap: no case simulates more than 40 trials.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../src/cli/program.js';
import { memoryIO, type CliIO } from '../../src/cli/io.js';
import { intArg, writeOutputsOrStop } from '../../src/cli/files.js';
import { resultShapeProblems } from '../../src/cli/compare.js';
import { validateCatalogText } from '../../src/cli/import-prices.js';
import { stageFiles } from '../../src/util/atomic.js';
import { readInputFile } from '../../src/util/read-input.js';
import { findDuplicateJsonKey } from '../../src/config/read.js';
import { safeText } from '../../src/util/terminal.js';
import { truncatedCubeMean } from '../../src/traffic/path.js';
import { boxMuller, standardNormal } from '../../src/distributions/index.js';

const ROOT = process.cwd();
const CATALOG = join(ROOT, 'test/config/fixtures/root');
let tmp: string;

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'breakeven-hostile-'));
});
afterAll(() => {
  if (tmp) {
    for (const d of readdirSync(tmp)) chmodSync(join(tmp, d), 0o755);
    rmSync(tmp, { recursive: true, force: true });
  }
});

async function cli(argv: string[], opts: { signal?: AbortSignal } = {}) {
  const io = memoryIO({ cwd: tmp });
  const withSignal: CliIO & { stdout: string; stderr: string } = opts.signal ? Object.assign(io, { signal: opts.signal }) : io;
  const code = await run(argv, withSignal);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

/** A workload in tmp with `traffic` lines replaced; small enough to simulate in well under a second. */
function workload(name: string, traffic: string, extra = ''): string {
  const f = join(tmp, name);
  writeFileSync(
    f,
    `kind: workload
name: ${extra.startsWith('name:') ? extra.slice(5).trim() : 'hostile case'}
description: hostile input
horizon_months: 1
model: llama-3.1-8b
api: gpt-4o-mini
traffic:
${traffic}
self_hosted:
  options:
    - { gpu: l4, weights: fp8, fleet: { policy: fixed } }
simulation: { trials: 20, seed: 3 }
`,
  );
  return f;
}
const PLAIN = '  requests_per_day: 20000\n  input_tokens: 1000\n  output_tokens: 200';

describe('inputs that are not regular files', () => {
  it('a FIFO is refused at once (open with O_NONBLOCK, fstat), never blocks', async () => {
    const fifo = join(tmp, 'pipe.yaml');
    execFileSync('mkfifo', [fifo]);
    const r = await cli(['validate', fifo]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`pipe.yaml: is a FIFO (named pipe), not a regular file (inputs must be regular files)\nerror: ${fifo} is not valid\n`);
    expect(readInputFile(fifo)).toEqual({ ok: false, reason: 'not-regular', kind: 'a FIFO (named pipe)' });
  });

  it('/dev/zero is refused as a device (its stat size is 0, so a size check from stat passed it)', async () => {
    const r = await cli(['validate', '/dev/zero']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('/dev/zero: is a character device, not a regular file (inputs must be regular files)');
    for (const args of [['compare', '/dev/zero', '/dev/zero'], ['import-prices', '/dev/zero']]) {
      const c = await cli(args);
      expect(c.code).toBe(2);
      expect(c.stderr).toBe('error: /dev/zero: is a character device, not a regular file (inputs must be regular files)\n');
    }
  });

  it('the size limit holds while reading, whatever stat says', () => {
    const f = join(tmp, 'big.json');
    writeFileSync(f, 'x'.repeat(2000));
    expect(readInputFile(f, 1000)).toEqual({ ok: false, reason: 'too-large', limit: 1000 });
    expect(readInputFile(f, 2000)).toEqual({ ok: true, text: 'x'.repeat(2000) });
  });

  it('a trace at /proc/self/environ is refused as binary, and the environment is not echoed', async () => {
    const wl = workload('environ.yaml', `${PLAIN}\n  trace: { file: /proc/self/environ, column: requests }`);
    const r = await cli(['validate', wl]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`/proc/self/environ: cannot read trace: is not a text file (it holds NUL bytes)\nerror: ${wl} is not valid\n`);
    expect(r.stderr).not.toContain('PATH=');
  });
});

describe('traces: every cell passes the number rule, and validate reads the trace', () => {
  const rows = (cell: (h: number) => string) => 'hour,requests\n' + Array.from({ length: 48 }, (_, h) => `${h},${cell(h)}`).join('\n') + '\n';

  it('a cell of 1e308 is exit 2 naming the line (it used to loop forever in the volume grid)', async () => {
    writeFileSync(join(tmp, 'huge.csv'), rows((h) => (h === 5 ? '1e308' : '100')));
    const wl = workload('huge-trace.yaml', `${PLAIN}\n  trace: { file: huge.csv, column: requests }`);
    for (const cmd of [['validate', wl], ['simulate', wl, '--no-report', '--workers', '1']]) {
      const r = await cli(cmd);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`${join(tmp, 'huge.csv')}: line 7: column "requests" must be a number >= 0 and <= 1e+15 (got "1e308")`);
    }
  });

  it('a blank cell is an error, not an hour of zero traffic', async () => {
    writeFileSync(join(tmp, 'blank.csv'), rows((h) => (h === 3 ? ' ' : '100')));
    const wl = workload('blank-trace.yaml', `${PLAIN}\n  trace: { file: blank.csv, column: requests }`);
    const r = await cli(['validate', wl]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${join(tmp, 'blank.csv')}: line 5: column "requests" is blank (got " ")`);
  });
});

describe('noise at the documented maximum cv', () => {
  it('E[max(a + bZ, 0)^3] by hand: a = 0, b = 1 gives 2φ(0) = 0.79788456; large a/b gives a³ + 3ab²', () => {
    // a = 0, b = 1: Φ(0)·0 + φ(0)·(0 + 2) = 2 / √(2π) = 0.7978845608
    expect(truncatedCubeMean(0, 1)).toBeCloseTo(0.7978845608, 9);
    // cv = 0.3: b = 0.1, a = 0.99: a³ + 3ab² = 0.970299 + 0.0297 = 0.999999 (tail below -9.9 sd: nothing)
    expect(truncatedCubeMean(0.99, 0.1)).toBeCloseTo(0.999999, 12);
    // a cv so small that b underflows to 0: the plain mean a³ = 1, not 0 × Infinity = NaN
    expect(truncatedCubeMean(1, 5e-324 / 3)).toBe(1);
  });

  it('matches numerical integration of the truncated cube for cv from 0.1 to 3 (within 1e-9)', () => {
    // Simpson's rule for ∫ max(a + bz, 0)³ φ(z) dz over z in [-12, 12], 24,000 intervals
    const integral = (a: number, b: number) => {
      const n = 24_000;
      const h = 24 / n;
      const f = (z: number) => {
        const x = a + b * z;
        return x > 0 ? (x * x * x * Math.exp(-0.5 * z * z)) / Math.sqrt(2 * Math.PI) : 0;
      };
      let s = f(-12) + f(12);
      for (let i = 1; i < n; i++) s += (i % 2 === 1 ? 4 : 2) * f(-12 + i * h);
      return (s * h) / 3;
    };
    for (const cv of [0.1, 0.5, 1, 1.2, 2, 2.5, 2.9, 3]) {
      const b = cv / 3;
      const a = 1 - b * b;
      expect(Math.abs(truncatedCubeMean(a, b) / integral(a, b) - 1), `cv ${cv}`).toBeLessThan(1e-9);
    }
  });

  it('noise.cv: 3 and a normal near 3 simulate with finite costs (it was a division by zero)', async () => {
    for (const [name, cv] of [['cv3.yaml', '3'], ['cv-near-3.yaml', '{ type: normal, mean: 2.5, sd: 0.3 }']] as const) {
      const wl = workload(name, `${PLAIN}\n  noise: { cv: ${cv}, autocorrelation: 0.5 }`);
      const r = await cli(['simulate', wl, '--json', '--no-report', '--workers', '1', '--trials', '40']);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const result = JSON.parse(r.stdout) as { options: { cost_per_month: { p50: number } }[]; api: { cost_per_month: { p50: number } } };
      expect(result.api.cost_per_month.p50).toBeGreaterThan(0);
      expect(result.options[0]!.cost_per_month.p50).toBeGreaterThan(0);
    }
  });
});

describe('work limits bound time, not only size', () => {
  it('400,000 spaces in a distribution string: refused by length before any regex (it took 73 s)', async () => {
    const wl = workload('spaces.yaml', `  requests_per_day: "${' '.repeat(400_000)}1"\n  input_tokens: 1000\n  output_tokens: 200`);
    const r = await cli(['validate', wl]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('spaces.yaml: traffic.requests_per_day: a string of 400,001 characters is too long (config strings must at most 100,000)'.replace('must at', 'must be at'));
    // below the file-wide string cap, the expression cap comes before the interval regex
    const wl2 = workload('spaces2.yaml', `  requests_per_day: "${' '.repeat(90_000)}1 to 2"\n  input_tokens: 1000\n  output_tokens: 200`);
    const r2 = await cli(['validate', wl2]);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain('spaces2.yaml: traffic.requests_per_day: expression is longer than 200 characters');
  });

  it('a 9.5 MB GPU id: refused as too long, no did-you-mean over it, the message stays short', async () => {
    const id = 'h'.repeat(9_500_000);
    const f = join(tmp, 'long-id.yaml');
    writeFileSync(f, readFileSync(workload('long-id-base.yaml', PLAIN), 'utf8').replace('gpu: l4', `gpu: ${id}`));
    const r = await cli(['validate', f]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('self_hosted.options[0].gpu: a string of 9,500,000 characters is too long (config strings must be at most 100,000)');
    expect(r.stderr.length).toBeLessThan(10_000);
  });

  it('one big anchor used many times: the expansion work is counted, not the aliases', async () => {
    // 20,000 values used 260 times: 5,200,000 values of work from a 60 KB file
    const values = Array.from({ length: 20_000 }, (_, i) => i % 7).join(', ');
    const f = join(tmp, 'alias-work.yaml');
    const uses = Array.from({ length: 260 }, (_, i) => `x${i}: *big`).join('\n');
    writeFileSync(f, `big: &big [${values}]\n${uses}\nkind: workload\n`);
    const r = await cli(['validate', f]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('YAML aliases expand to more than 5,000,000 values');
  });

  it('a YAML file of 250,000 values is refused before the parser (it is super-linear on long flow lists)', async () => {
    const f = join(tmp, 'many-values.yaml');
    writeFileSync(f, `kind: workload\nbig: [${'1,'.repeat(250_000)}1]\n`);
    const r = await cli(['validate', f]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('many-values.yaml: too many values for a YAML file (250,002 commas and lines; at most 200,000): write large data as JSON');
  });

  it('--trials is capped by memory with a clear message', async () => {
    const wl = workload('many-trials.yaml', PLAIN);
    const r = await cli(['simulate', wl, '--trials', '10000000', '--no-report']);
    expect(r.code).toBe(2);
    // 10,000,000 trials × 1 option × 512 B + 256 MiB = 5,376,000,000 B = 5.0 GiB > 4 GiB;
    // (4 GiB - 256 MiB) / 512 B = 7,864,320 trials at most
    expect(r.stderr).toBe(
      'error: 10,000,000 trials of 1 option need about 5.0 GiB of memory for per-trial results (the limit is 4 GiB); use fewer trials (at most 7,864,320 here) or fewer options\n',
    );
  });

  it('one whole-number parser for every flag: digits only, bounded', () => {
    const p = intArg('--batch', 1, 100);
    expect(p(' 42 ')).toBe(42);
    for (const bad of ['1e3', '1.5', '-3', '0x10', '0', '101', '', '9'.repeat(100)]) expect(() => p(bad)).toThrow('--batch must be a whole number from 1 to 100');
  });

  it('perf refuses --batch 1e3 with the same words as simulate', async () => {
    const r = await cli(['perf', '--hardware', 'h100-sxm', '--model', 'llama-3.1-8b', '--batch', '1e3']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--batch must be a whole number from 1 to 100000000');
  });
});

describe('Box–Muller has one home', () => {
  it('standardNormal is boxMuller(1 - u1, u2)', () => {
    const us = [0.25, 0.7];
    let i = 0;
    expect(standardNormal(() => us[i++]!)).toBe(boxMuller(0.75, 0.7));
    // by hand: √(-2 ln 0.75) · cos(2π · 0.7) = 0.758528 · (-0.309017) = -0.234398
    expect(boxMuller(0.75, 0.7)).toBeCloseTo(-0.2343982, 6);
  });
});

describe('outputs: exit 2 naming the path, nothing new written', () => {
  it('--out at an existing file', async () => {
    const wl = workload('out-file.yaml', PLAIN);
    writeFileSync(join(tmp, 'not-a-dir'), 'x');
    const r = await cli(['simulate', wl, '--out', 'not-a-dir', '--workers', '1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: --out not-a-dir: a file is in the way where a folder is needed; nothing was written\n');
  });

  it('--out where <name>.html is a directory: exit 2, and no new JSON beside the old HTML', async () => {
    const wl = workload('html-dir.yaml', PLAIN);
    const out = join(tmp, 'out-html-dir');
    mkdirSync(join(out, 'html-dir.html'), { recursive: true });
    writeFileSync(join(out, 'html-dir.json'), 'old');
    const r = await cli(['simulate', wl, '--out', out, '--workers', '1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: out-html-dir/html-dir.html: is a directory; give a file name, or remove the directory; nothing was written\n');
    expect(readFileSync(join(out, 'html-dir.json'), 'utf8')).toBe('old');
    expect(readdirSync(out).sort()).toEqual(['html-dir.html', 'html-dir.json']);
  });

  it.skipIf(process.getuid?.() === 0)('--out in a folder without write permission', async () => {
    const wl = workload('ro.yaml', PLAIN);
    const ro = join(tmp, 'read-only');
    mkdirSync(ro);
    chmodSync(ro, 0o500);
    const r = await cli(['simulate', wl, '--out', 'read-only', '--workers', '1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`error: ${join('read-only', 'ro.json')}: permission denied; nothing was written\n`);
    expect(readdirSync(ro)).toEqual([]);
  });

  it('--out below a file: refused before the run, creating nothing', async () => {
    const wl = workload('below-file.yaml', PLAIN);
    writeFileSync(join(tmp, 'plain-file'), 'x');
    const r = await cli(['simulate', wl, '--out', 'plain-file/reports', '--workers', '1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: --out plain-file/reports: a part of the path is a file, not a folder; nothing was written\n');
    expect(readFileSync(join(tmp, 'plain-file'), 'utf8')).toBe('x');
  });

  it('import-prices --out into a missing folder', async () => {
    const r = await cli(['import-prices', join(ROOT, 'test/cli/fixtures/litellm.json'), '--date', '2026-01-15', '--out', 'no/such/dir/apis.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: no/such/dir/apis.yaml: the folder does not exist; nothing was written\n');
  });
});

describe('Ctrl-C at every step of every command that writes: exit 130, nothing new written', () => {
  const stopped = () => {
    const c = new AbortController();
    c.abort();
    return c.signal;
  };

  it('a signal that arrives while the temps are written is seen before the rename', async () => {
    const c = new AbortController();
    const io = Object.assign(memoryIO({ cwd: tmp }), { signal: c.signal });
    const dir = join(tmp, 'stop-during-write');
    mkdirSync(dir);
    const files = [{ path: join(dir, 'a.json'), data: 'A' }, { path: join(dir, 'a.html'), data: 'B' }];
    await expect(
      writeOutputsOrStop(io, () => {
        const staged = stageFiles(files);
        c.abort(); // as if SIGINT came during the synchronous writes
        return staged;
      }, (p) => p),
    ).rejects.toMatchObject({ exitCode: 130, message: 'stopped by the user; nothing was written' });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('simulate, compare --out, import-prices --out, calibrate --write and validate', async () => {
    const wl = workload('stop.yaml', PLAIN);
    const out = join(tmp, 'stop-out');
    const cases: string[][] = [
      ['simulate', wl, '--out', out, '--workers', '1'],
      ['import-prices', join(ROOT, 'test/cli/fixtures/litellm.json'), '--out', join(out, 'apis.yaml')],
      ['validate', wl],
    ];
    for (const args of cases) {
      const r = await cli(args, { signal: stopped() });
      expect(r.code, args[0]).toBe(130);
      expect(r.stderr).toContain('stopped by the user');
      // the same line as a stop inside the engine (test/cli/interrupt.test.ts), not an error
      expect(r.stderr, args[0]).not.toMatch(/^error: /);
    }
    expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
  });
});

describe('compare: a tampered result is exit 2 naming the field', () => {
  it('api: 1 and options: [null]', async () => {
    const good = join(tmp, 'good.json');
    const wl = workload('cmp.yaml', PLAIN);
    const s = await cli(['simulate', wl, '--json', '--no-report', '--workers', '1']);
    expect(s.code).toBe(0);
    writeFileSync(good, s.stdout);
    const data = JSON.parse(s.stdout) as Record<string, unknown>;
    writeFileSync(join(tmp, 'api1.json'), JSON.stringify({ ...data, api: 1 }));
    writeFileSync(join(tmp, 'optnull.json'), JSON.stringify({ ...data, options: [null] }));
    const a = await cli(['compare', good, join(tmp, 'api1.json')]);
    expect(a.code).toBe(2);
    expect(a.stderr).toBe(`error: ${join(tmp, 'api1.json')}: not a result JSON this version can compare:\n  api: must be an object (got 1)\n`);
    const b = await cli(['compare', join(tmp, 'optnull.json'), good]);
    expect(b.code).toBe(2);
    expect(b.stderr).toBe(`error: ${join(tmp, 'optnull.json')}: not a result JSON this version can compare:\n  options[0]: must be an object (got null)\n`);
    // Ctrl-C before compare --out writes: exit 130, no file
    const c = new AbortController();
    c.abort();
    const stop = await cli(['compare', good, good, '--out', 'cmp.html'], { signal: c.signal });
    expect(stop.code).toBe(130);
    expect(existsSync(join(tmp, 'cmp.html'))).toBe(false);
    expect(await resultShapeProblems({ ...data, volume_tokens_per_month: { p10: 1, p50: null, p90: 1, mean: 1 } })).toEqual([
      'volume_tokens_per_month.p50: must be a number (got null)',
    ]);
  });
});

describe('import-prices validates what it would write', () => {
  it('skips a provider given as an object or a number and prices of 1e300 per token', async () => {
    const table = {
      good: { mode: 'chat', litellm_provider: 'openai', input_cost_per_token: 1e-6, output_cost_per_token: 2e-6 },
      objprov: { mode: 'chat', litellm_provider: { x: 1 }, input_cost_per_token: 1e-6, output_cost_per_token: 2e-6 },
      numprov: { mode: 'chat', litellm_provider: 7, input_cost_per_token: 1e-6, output_cost_per_token: 2e-6 },
      huge: { mode: 'chat', litellm_provider: 'x', input_cost_per_token: 1e300, output_cost_per_token: 1e300 },
    };
    const f = join(tmp, 'evil\nkind: hardware.json');
    writeFileSync(f, JSON.stringify(table));
    const out = join(tmp, 'imported.yaml');
    const r = await cli(['import-prices', f, '--date', '2026-01-15', '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const text = readFileSync(out, 'utf8');
    // the newline in the file name does not start a line of YAML in the header comment
    expect(text.split('\n')[0]).toBe(`# Imported by \`breakeven import-prices ${join(tmp, 'evil kind: hardware.json')}\` on 2026-01-15; 1 APIs, 3 entries skipped (not chat, no prices, prices above $1/token, or a provider that is not a string).`);
    expect(text.split('\n')[1]).toBe('$schema: ../../schemas/apis.schema.json');
    const v = await cli(['validate', out]);
    expect(v.code).toBe(0);
  });

  it('a catalog that would not load is refused with the reason', async () => {
    await expect(validateCatalogText('kind: apis\napis:\n  - { id: x, name: x, provider: 7 }\n', 'out.yaml')).rejects.toThrow(/^the catalog would not load, so nothing was written:\nout\.yaml: apis\[0\]/);
  });
});

describe('calibrate --write with a vLLM result lacking total_output_tokens', () => {
  it('is exit 2 naming the field, and the profile is unchanged (it wrote .nan)', async () => {
    const root = join(tmp, 'cal-root');
    cpSync(CATALOG, root, { recursive: true });
    const profile = join(root, 'hardware', 'h100-sxm.yaml');
    const before = readFileSync(profile, 'utf8');
    const vllm = join(tmp, 'vllm.json');
    writeFileSync(vllm, JSON.stringify({ model_id: 'meta-llama/Llama-3.1-8B-Instruct', max_concurrency: 8, completed: 100, total_input_tokens: 100_000, mean_tpot_ms: 12, mean_ttft_ms: 80 }));
    const r = await cli(['calibrate', '--hardware', 'h100-sxm', '--measurements', vllm, '--catalog-root', root, '--model', 'llama-3.1-8b', '--write']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`error: ${join(tmp, 'vllm.json')} (as measurements): measurements[0].context_tokens: must be a finite number (got NaN)\n`);
    expect(readFileSync(profile, 'utf8')).toBe(before);
    expect(readdirSync(join(root, 'hardware')).sort()).toEqual(['h100-sxm-measured.json', 'h100-sxm.yaml', 'l4.yaml']);
  });

  it('Ctrl-C before the write leaves the profile as it was', async () => {
    const root = join(tmp, 'cal-root-2');
    cpSync(CATALOG, root, { recursive: true });
    const profile = join(root, 'hardware', 'h100-sxm.yaml');
    const before = readFileSync(profile, 'utf8');
    const c = new AbortController();
    c.abort();
    const r = await cli(['calibrate', '--hardware', 'h100-sxm', '--measurements', join(root, 'hardware', 'h100-sxm-measured.json'), '--catalog-root', root, '--write', '--hold-out', '0'], { signal: c.signal });
    expect(r.code).toBe(130);
    expect(readFileSync(profile, 'utf8')).toBe(before);
  });
});

describe('a hardware profile with memory_gb: "1e300"', () => {
  it('is refused by the number rule with the field path (it printed "max batch Infinity" and $0 costs)', async () => {
    const f = join(tmp, 'huge-mem.yaml');
    writeFileSync(f, readFileSync(join(CATALOG, 'hardware', 'l4.yaml'), 'utf8').replace(/^memory_gb: .*$/m, 'memory_gb: "1e300"'));
    const r = await cli(['validate', f]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('huge-mem.yaml: memory_gb: number 1e+300 is too large (config numbers must be within ±1e+15)');
  });
});

describe('JSON configs refuse duplicate keys, as YAML does', () => {
  it('names the line and column of the second key', async () => {
    const f = join(tmp, 'dup.json');
    writeFileSync(f, '{\n  "kind": "workload",\n  "name": "a",\n  "name": "b"\n}\n');
    const r = await cli(['validate', f]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`dup.json: JSON duplicate key at line 4, column 3: map keys must be unique\nerror: ${f} is not valid\n`);
    // equal keys in different objects, escaped keys and keys inside strings are not duplicates
    writeFileSync(f, '{"kind": "workload", "a": {"kind": 1, "x\\"y": [{"kind": 2}, "\\"kind\\": 3"]}, "b": {"kind": 1}}');
    expect(findDuplicateJsonKey(readFileSync(f, 'utf8'))).toBeNull();
    expect(findDuplicateJsonKey('{"a": [1, {"b": 1, "c": {"d": 1}, "b": 2}]}')).toEqual({ key: 'b', line: 1, col: 35 }); // the second "b" opens at index 34, column 35
  });
});

describe('terminal output strips control characters from user strings', () => {
  it('ESC sequences in name: do not reach the terminal', async () => {
    const wl = workload('esc.yaml', PLAIN, 'name: "\\e[31mred\\e]0;title\\a\\u202Eevil"');
    const r = await cli(['simulate', wl, '--no-report', '--workers', '1']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('redevil: 20 trials, seed 3, 1 months');
    expect(r.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e]/);
  });

  it('safeText: escape sequences removed whole, controls dropped, long text cut', () => {
    expect(safeText('\u001b[1;31mA\u001b[0m\tB\nC\u0007')).toBe('A B C');
    expect(safeText('x'.repeat(50), 10)).toBe(`${'x'.repeat(10)}…`);
  });
});
