/**
 * Output safety of the real binary (`node bin/breakeven.js`): a run stopped with Ctrl-C
 * (SIGINT) or killed outright (SIGKILL) part-way leaves the previous report byte-identical and
 * no partial file; a run refused for bad input writes nothing. Builds dist/ first when it is
 * missing or older than src/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = process.cwd();
const BIN = join(ROOT, 'bin', 'breakeven.js');
const ENTRY = join(ROOT, 'dist', 'cli', 'main.js');
/** the atomic writer's temp names (src/util/atomic.ts): `.tmp-<target>.<pid>.<counter>` */
const TEMP = /^\.tmp-default\.(html|json|trials\.csv)\.\d+\.\d+$/;

let tmp: string;

function newestSource(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestSource(p) : statSync(p).mtimeMs);
  }
  return newest;
}

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'breakeven-interrupt-'));
  if (!existsSync(ENTRY) || statSync(ENTRY).mtimeMs < newestSource(join(ROOT, 'src'))) {
    try {
      execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'pipe', timeout: 120_000 });
    } catch (e) {
      // tsc still emits on type errors (the type-check step reports those); fail only when
      // nothing usable was built
      const err = e as { stdout?: Buffer; stderr?: Buffer };
      if (!existsSync(ENTRY) || statSync(ENTRY).mtimeMs < newestSource(join(ROOT, 'src'))) {
        throw new Error(`npm run build failed:\n${String(err.stdout ?? '')}${String(err.stderr ?? '')}`);
      }
      console.warn(`npm run build reported errors; testing what it emitted:\n${String(err.stdout ?? '')}`);
    }
  }
  expect(existsSync(ENTRY)).toBe(true);
}, 150_000);

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** Run the binary to completion. */
function runToEnd(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/** What src/cli/main.ts writes to stderr, with BREAKEVEN_READY_LINE=1, once SIGINT is handled. */
const READY_LINE = 'breakeven: signal handlers installed\n';

/**
 * Start a long run, wait for its readiness line (the CLI has installed its SIGINT handler: a
 * signal sent earlier, on a loaded machine, would kill a process still loading its modules),
 * send `signal` `afterMs` later (inside the run), and wait for the process to end. The
 * readiness line is removed from the stderr returned.
 */
function interrupt(
  args: string[],
  signal: NodeJS.Signals,
  afterMs: number,
  how: { group?: boolean; marker?: string } = {},
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string; stdout: string; marked: number }> {
  return new Promise((resolvePromise, reject) => {
    const env = { ...process.env, BREAKEVEN_READY_LINE: '1', ...(how.marker ? { BREAKEVEN_TEST_MARKER: how.marker } : {}) };
    // group: a process group of its own, signalled whole, as a terminal's Ctrl-C does
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env, detached: how.group === true });
    let marked = 0;
    let stdout = '';
    let stderr = '';
    let exited = false;
    let sendTimer: NodeJS.Timeout | undefined;
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => {
      stderr += s;
      if (sendTimer === undefined && stderr.includes(READY_LINE)) {
        sendTimer = setTimeout(() => {
          if (exited) return;
          if (how.marker) marked = processesMarked(how.marker).length;
          if (how.group) process.kill(-child.pid!, signal);
          else child.kill(signal);
        }, afterMs);
      }
    });
    // a stopped run must end promptly; make sure no child outlives the test (generous: the
    // start-up before the readiness line is slow on a loaded machine)
    const guard = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no exit within 60 s of starting (${signal} after the readiness line); stderr: ${stderr}`));
    }, afterMs + 60_000);
    child.on('error', reject);
    child.on('exit', (code, sig) => {
      exited = true;
      clearTimeout(sendTimer);
      clearTimeout(guard);
      // let the pipes drain
      setTimeout(() => resolvePromise({ code, signal: sig, stderr: stderr.replace(READY_LINE, ''), stdout, marked }), 50);
    });
  });
}

/** Live processes whose environment holds `marker` (Linux: /proc/<pid>/environ; a zombie's is empty). */
function processesMarked(marker: string): number[] {
  const found: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (readFileSync(`/proc/${d}/environ`, 'latin1').includes(`BREAKEVEN_TEST_MARKER=${marker}\0`)) found.push(Number(d));
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

/** Wait up to `ms` for every process holding `marker` to end; returns those still there. */
async function outlived(marker: string, ms: number): Promise<number[]> {
  const until = Date.now() + ms;
  let left = processesMarked(marker);
  while (left.length > 0 && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 100));
    left = processesMarked(marker);
  }
  return left;
}

describe('an interrupted run leaves the previous report intact', () => {
  let out: string;
  let before: { html: Buffer; json: Buffer };
  const LONG = ['simulate', 'workloads/default.yaml', '--trials', '200000', '--workers', '2'];

  beforeAll(() => {
    out = join(tmp, 'reports');
    const r = runToEnd(['simulate', 'workloads/default.yaml', '--trials', '300', '--workers', '1', '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['default.html', 'default.json']);
    before = { html: readFileSync(join(out, 'default.html')), json: readFileSync(join(out, 'default.json')) };
    expect(before.html.length).toBeGreaterThan(10_000);
    expect(JSON.parse(before.json.toString('utf8'))).toHaveProperty('scenario.trials', 300);
  }, 60_000);

  function expectIntact(): void {
    expect(readFileSync(join(out, 'default.html')).equals(before.html), 'default.html unchanged').toBe(true);
    expect(readFileSync(join(out, 'default.json')).equals(before.json), 'default.json unchanged').toBe(true);
  }

  it('SIGINT (Ctrl-C): exit 130, says it stopped, files byte-identical, no temp file', async () => {
    const r = await interrupt([...LONG, '--out', out], 'SIGINT', 1500);
    expect(r.signal, 'the CLI handles SIGINT itself rather than dying of it').toBeNull();
    expect(r.code).toBe(130);
    expect(r.stderr).toBe('stopped by the user; nothing was written\n');
    expect(r.stderr).not.toContain('    at ');
    expect(r.stdout).toBe('');
    expectIntact();
    expect(readdirSync(out).sort()).toEqual(['default.html', 'default.json']);
  }, 90_000);

  it('SIGTERM: exit 143, files byte-identical, no temp file left', async () => {
    const r = await interrupt([...LONG, '--out', out], 'SIGTERM', 1500);
    expect(r.signal, 'the CLI handles SIGTERM itself').toBeNull();
    expect(r.code).toBe(143);
    expect(r.stderr).toBe('stopped by the user; nothing was written\n');
    expectIntact();
    expect(readdirSync(out).sort()).toEqual(['default.html', 'default.json']);
  }, 30_000);

  it('SIGKILL: files byte-identical; nothing else but the atomic writer\'s own temp files', async () => {
    const r = await interrupt([...LONG, '--out', out], 'SIGKILL', 1500);
    expect(r.signal).toBe('SIGKILL');
    expectIntact();
    const entries = readdirSync(out).sort();
    const others = entries.filter((f) => f !== 'default.html' && f !== 'default.json');
    expect(others.filter((f) => !TEMP.test(f)), `unexpected files in ${out}: ${entries.join(', ')}`).toEqual([]);
    for (const f of others) rmSync(join(out, f));
  }, 90_000);
});

describe('the chart renderer (a child process) never outlives the CLI', () => {
  // the CLI and its renderer inherit the marker; the trial helpers are threads of the CLI
  const LONG = ['simulate', 'workloads/default.yaml', '--trials', '200000', '--workers', '2'];
  const linux = process.platform === 'linux';

  it.runIf(linux)('Ctrl-C at a terminal (SIGINT to the whole process group): exit 130, says it stopped, and the renderer is gone', async () => {
    const marker = `int-${process.pid}-${Date.now()}`;
    const out = join(tmp, 'group');
    const r = await interrupt([...LONG, '--out', out], 'SIGINT', 1500, { group: true, marker });
    expect(r.marked, 'the CLI and its renderer were running when the signal came').toBe(2);
    expect(r.code, `stderr: ${r.stderr}`).toBe(130);
    expect(r.stderr).toBe('stopped by the user; nothing was written\n');
    expect(await outlived(marker, 5000)).toEqual([]);
    expect(existsSync(out)).toBe(false);
  }, 90_000);

  it.runIf(linux)('SIGKILL of the CLI alone: the renderer ends by itself', async () => {
    const marker = `kill-${process.pid}-${Date.now()}`;
    const r = await interrupt([...LONG, '--out', join(tmp, 'killed')], 'SIGKILL', 1500, { marker });
    expect(r.signal).toBe('SIGKILL');
    expect(r.marked, 'the CLI and its renderer were running when the signal came').toBe(2);
    expect(await outlived(marker, 5000)).toEqual([]);
  }, 90_000);

  it.runIf(linux)('a finished run leaves no renderer behind', async () => {
    const marker = `done-${process.pid}-${Date.now()}`;
    const r = spawnSync(process.execPath, [BIN, 'simulate', 'workloads/default.yaml', '--trials', '300', '--out', join(tmp, 'done')], { cwd: ROOT, encoding: 'utf8', timeout: 60_000, env: { ...process.env, BREAKEVEN_TEST_MARKER: marker } });
    expect(r.status).toBe(0);
    expect(await outlived(marker, 5000)).toEqual([]);
  }, 60_000);
});

describe('a refused run writes nothing', () => {
  it('an invalid workload leaves a fresh out dir empty (and a missing one uncreated)', () => {
    const dir = join(tmp, 'invalid');
    mkdirSync(dir);
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, readFileSync(join(ROOT, 'workloads/default.yaml'), 'utf8').replace(/^horizon_months:.*$/m, 'horizon_months: -3'));
    const fresh = join(dir, 'out');
    mkdirSync(fresh);
    const r = runToEnd(['simulate', bad, '--trials', '300', '--workers', '1', '--out', fresh]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(bad);
    expect(r.stderr).toContain('horizon_months');
    expect(r.stderr).not.toContain('    at ');
    expect(readdirSync(fresh)).toEqual([]);

    const missing = join(dir, 'never-created');
    const r2 = runToEnd(['simulate', bad, '--workers', '1', '--out', missing]);
    expect(r2.code).toBe(2);
    expect(existsSync(missing)).toBe(false);
  }, 30_000);

  it('a Node.js without WebAssembly (--jitless) gets one line saying so, exit 1, and nothing written', () => {
    const fresh = join(tmp, 'jitless');
    mkdirSync(fresh);
    const r = spawnSync(process.execPath, ['--jitless', '--no-warnings', BIN, 'simulate', 'workloads/default.yaml', '--trials', '200', '--out', fresh], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toContain('error: this Node.js runs without WebAssembly (started with --jitless?), which the traffic simulation needs: run it without that flag');
    expect(r.stderr).not.toContain('    at ');
    expect(r.stderr).not.toContain('internal error');
    expect(readdirSync(fresh)).toEqual([]);
  }, 60_000);
});

describe('the built binary loads the config schemas only for a file the build did not check', () => {
  // a module-resolution hook that names each package the run loads, on stderr
  const hook = () => {
    const f = join(tmp, 'packages-hook.mjs');
    writeFileSync(f, "export async function resolve(s, c, next) { const r = await next(s, c); const m = /node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(r.url); if (m) process.stderr.write(`package ${m[1]}\\n`); return r; }\n");
    return f;
  };
  const packagesOf = (stderr: string) => [...new Set([...stderr.matchAll(/^package (\S+)$/gm)].map((m) => m[1]!))].sort();
  const runHooked = (args: string[]) => {
    const r = spawnSync(process.execPath, ['--no-warnings', '--experimental-loader', pathToFileURL(hook()).href, BIN, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  it('a bundled scenario: neither zod nor the YAML parser is loaded, and the run works', () => {
    const r = runHooked(['simulate', 'workloads/default.yaml', '--trials', '20', '--workers', '1', '--no-report']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('answer:');
    expect(packagesOf(r.stderr)).not.toContain('zod');
    expect(packagesOf(r.stderr)).not.toContain('yaml');
  }, 30_000);

  it('the loader takes the schemas only when a file misses the build\'s checks', () => {
    const text = readFileSync(join(ROOT, 'workloads', 'default.yaml'), 'utf8').replace(/^name: .*$/m, 'name: "my copy"');
    const mine = join(tmp, 'mine.yaml');
    writeFileSync(mine, text);
    const script = [
      `const c = await import(${JSON.stringify(pathToFileURL(join(ROOT, 'dist', 'config', 'load.js')).href)});`,
      `c.loadWorkload(${JSON.stringify(join(ROOT, 'workloads', 'default.yaml'))});`,
      'const bundled = c.schemasLoaded();',
      `const w = c.loadWorkload(${JSON.stringify(mine)});`,
      'console.log(JSON.stringify({ bundled, mine: c.schemasLoaded(), name: w.workload.name }));',
    ].join('\n');
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ bundled: false, mine: true, name: 'my copy' });
  }, 30_000);

  it('a user\'s file through the binary: checked (valid and invalid), with no warning', () => {
    const text = readFileSync(join(ROOT, 'workloads', 'default.yaml'), 'utf8').replace(/^name: .*$/m, 'name: "my copy"');
    const ok = join(tmp, 'mine.yaml');
    writeFileSync(ok, text);
    const r = runToEnd(['simulate', ok, '--trials', '20', '--workers', '1', '--no-report']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('my copy: 20 trials');
    expect(r.stderr).toBe('');
    const bad = join(tmp, 'bad.yaml');
    writeFileSync(bad, text.replace(/^ {2}trials: .*$/m, '  trials: -5'));
    const v = runToEnd(['validate', bad]);
    expect(v.code).toBe(2);
    expect(v.stdout + v.stderr).toContain('simulation.trials: must be >= 1');
  }, 30_000);
});
