/**
 * `breakeven calibrate`: fit a hardware profile's efficiency factors to measured points (see
 * calibrate-run.ts for what it prints and writes). This file only declares the command; the
 * fit and the config loader are imported when it runs.
 */
import { Option, type Command } from 'commander';
import type { CliIO } from './io.js';
import type { CalibrateOpts } from './calibrate-run.js';
import { intArg } from './files.js';
import { KV_FORMATS, WEIGHT_FORMATS } from './choices.js';

export function registerCalibrate(program: Command, io: CliIO): void {
  program
    .command('calibrate')
    .description("fit a hardware profile's efficiency factors to measured decode steps and prefills")
    .requiredOption('--hardware <id>', 'hardware profile id')
    .option('--measurements <files...>', 'kernel-level points: measurements JSON/YAML (kind: measurements) or vLLM bench serve --save-result JSON')
    .option('--serving <files...>', "serving benchmarks to fit the engine's factors on this GPU: vLLM bench serve --save-result JSON (several --max-concurrency runs), trtllm-bench throughput output, or a CSV isl,osl,concurrency,output_tok_s,tpot_ms,ttft_ms")
    .option('--engine <id>', 'serving-engine preset fitted with --serving (engines/*.yaml)', 'vllm')
    .option('--write', "update the profile's efficiency and calibration blocks in its YAML file")
    .option('--hold-out <n|list>', 'leave points out of the fit: a count (spread evenly) or a comma list of 1-based point numbers; default: leave-one-out cross-validation')
    .option('--json', 'print JSON')
    .option('--catalog-root <dir>', 'folder holding hardware/ and workloads/catalog/ (default: the bundled catalogs)')
    .option('--model <id>', 'model of vLLM results (default: guessed from model_id)')
    .addOption(new Option('--weights <format>', 'weight format of vLLM results (default: guessed from model_id, else bf16)').choices(WEIGHT_FORMATS))
    .addOption(new Option('--kv-cache <format>', 'KV-cache format of vLLM results').choices(KV_FORMATS).default('bf16'))
    .option('--tp <n>', 'tensor parallelism of vLLM results', intArg('--tp', 1, 64), 1)
    .addOption(new Option('--int4-kernel <kernel>', 'int4 kernel the measurements used (default: read from the file\'s method)').choices(['tinygemm', 'marlin']))
    .option('--date <YYYY-MM-DD>', 'date written into the calibration block (default: today)')
    .action(async (opts: CalibrateOpts) => {
      const { runCalibrate } = await import('./calibrate-run.js');
      await runCalibrate(io, opts);
    });
}
