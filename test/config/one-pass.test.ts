/** `validate` (and simulate's loader) report unknown ids in the same pass as schema errors. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../src/cli/program.js';
import { memoryIO } from '../../src/cli/io.js';
import { ConfigError, loadWorkload } from '../../src/config/index.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'one-pass-'));
  writeFileSync(
    join(dir, 'bad.yaml'),
    `kind: workload
name: two kinds of problem
description: ''
model: llama-3.1-70c
api: [{ api: gpt-4o, share: 0.5 }, { api: gpt-4p, share: 0.5 }]
traffic: { requests_per_day: -5, input_tokens: 1000, output_tokens: 200 }
self_hosted:
  options:
    - { gpu: h100-sxn, weights: fp8, fleet: { policy: fixed } }
    - { gpu: 7, weights: fp8, fleet: { policy: fixed } }
`,
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('unknown ids in the same pass as schema errors', () => {
  it('validate lists the schema error and every unknown id, exit 2', async () => {
    const io = memoryIO({ cwd: dir });
    const code = await run(['validate', 'bad.yaml'], io);
    expect(code).toBe(2);
    expect(io.stderr).toContain('bad.yaml: traffic.requests_per_day: must be >= 0');
    expect(io.stderr).toContain('bad.yaml: model: unknown model "llama-3.1-70c" (did you mean "llama-3.1-70b"');
    expect(io.stderr).toContain('bad.yaml: api[1].api: unknown API "gpt-4p"');
    expect(io.stderr).toContain('bad.yaml: self_hosted.options[0].gpu: unknown GPU "h100-sxn" (did you mean "h100-sxm"');
    // a field the schema already rejects is reported once, by the schema
    expect(io.stderr.match(/options\[1\]\.gpu/g)?.length).toBe(1);
    expect(io.stderr).not.toContain('api[0].api');
  });
  it('the loader does the same', () => {
    let err: unknown;
    try {
      loadWorkload(join(dir, 'bad.yaml'), { cwd: dir });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).problems.map((p) => p.path)).toEqual(expect.arrayContaining(['traffic.requests_per_day', 'model', 'api[1].api', 'self_hosted.options[0].gpu']));
  });
});
