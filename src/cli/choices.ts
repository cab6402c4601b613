/**
 * Option choices the CLI declares before any command runs. They are the config schema's enums
 * (config/schema.ts `WeightFormat`, `KvFormat`) written out, so that declaring the commands for
 * `--help` does not import zod and the config loader; test/cli/choices.test.ts pins them equal.
 */
export const WEIGHT_FORMATS = ['bf16', 'fp16', 'fp8', 'int8', 'int4'] as const;
export const KV_FORMATS = ['bf16', 'fp16', 'fp8'] as const;
