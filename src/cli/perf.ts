/**
 * `breakeven perf`: the throughput model for one GPU and model (perf-run.ts says what it
 * prints). This file only declares the command; the model and the config loader are imported
 * when it runs, so `breakeven --help` stays fast.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { CliIO } from './io.js';
import { intArg } from './files.js';
import type { PerfOpts } from './perf-run.js';
// messages only, not perf's face: declaring the command must not load the model (test/cli/startup.test.ts)
import { perfMessages } from '../perf/messages.js';
import { KV_FORMATS, WEIGHT_FORMATS } from './choices.js';

const DEFAULT_CONTEXT = 2048;
const DEFAULT_PROMPT = 2048;

/** Largest --batch, --context, --prompt-tokens, --input-tokens, --output-tokens: beyond any GPU's memory, below overflow. */
const MAX_TOKENS_FLAG = 100_000_000;

export function positiveNumber(option: string) {
  return (v: string): number => {
    const n = Number(v);
    // the number rule (finite, at most 1e15) holds for flags too; the length is capped first
    if (v.length > 40 || !Number.isFinite(n) || n <= 0 || n > 1e15) throw new InvalidArgumentError(perfMessages.badNumber(option, v.slice(0, 40), 'a number > 0 and <= 1e15').replace(/^.*invalid: /, ''));
    return n;
  };
}

/** A share flag: a number in [0, max]. */
function shareArg(option: string, max: number) {
  return (v: string): number => {
    const n = Number(v);
    if (v.length > 40 || v.trim() === '' || !Number.isFinite(n) || n < 0 || n > max) throw new InvalidArgumentError(perfMessages.badNumber(option, v.slice(0, 40), `a share from 0 to ${max}`).replace(/^.*invalid: /, ''));
    return n;
  };
}

export function registerPerf(program: Command, io: CliIO): void {
  program
    .command('perf')
    .description('throughput model: decode step, prefill and memory for a GPU, model and weight format (a table over batch sizes and formats without --batch/--weights)')
    .requiredOption('--hardware <id>', 'hardware profile id (hardware/*.yaml)')
    .requiredOption('--model <id>', 'model id (workloads/catalog)')
    .addOption(new Option('--weights <format>', 'weight format').choices(WEIGHT_FORMATS))
    .addOption(new Option('--kv-cache <format>', 'KV-cache format').choices(KV_FORMATS).default('bf16'))
    .option('--batch <B>', 'concurrent decoding sequences', intArg('--batch', 1, MAX_TOKENS_FLAG))
    .option('--context <tokens>', 'mean context per sequence while decoding', intArg('--context', 1, MAX_TOKENS_FLAG), DEFAULT_CONTEXT)
    .option('--prompt-tokens <n>', 'prompt length for the prefill figure', intArg('--prompt-tokens', 1, MAX_TOKENS_FLAG), DEFAULT_PROMPT)
    .option('--tp <n>', 'tensor-parallel GPUs per replica (default: the smallest power of two that fits)', intArg('--tp', 1, 64))
    .option('--input-tokens <n>', 'prompt tokens per request: answer `serving` (capacity under the engine at maximum load and at the SLO)', intArg('--input-tokens', 1, MAX_TOKENS_FLAG))
    .option('--output-tokens <n>', 'output tokens per request (with --input-tokens)', intArg('--output-tokens', 1, MAX_TOKENS_FLAG))
    .option('--engine <id>', 'serving-engine preset (engines/*.yaml)', 'vllm')
    .option('--tpot-ms <ms>', 'time-per-output-token target (with --input-tokens)', positiveNumber('--tpot-ms <ms>'))
    .option('--ttft-ms <ms>', 'time-to-first-token target (with --input-tokens)', positiveNumber('--ttft-ms <ms>'))
    .option('--prefix-hit <share>', 'share of each prompt served from the engine\'s prefix cache, 0 to 1 (with --input-tokens): only the rest is prefilled', shareArg('--prefix-hit <share>', 1))
    .option('--prefix-reserve <share>', 'share of the KV memory after the weights kept for cached prefixes, 0 to 0.9 (with --prefix-hit; default 0)', shareArg('--prefix-reserve <share>', 0.9))
    .option('--json', 'print JSON')
    .option('--catalog-root <dir>', 'folder holding hardware/ and workloads/catalog/ (default: the bundled catalogs)')
    .action(async (opts: PerfOpts) => {
      const { runPerf } = await import('./perf-run.js');
      runPerf(io, opts);
    });
}
