/**
 * Messages users see from the throughput model and calibration, in one place: tests assert
 * them, so wording changes are deliberate.
 */
const gb = (bytes: number): string => `${(bytes / 1e9).toFixed(bytes >= 10e9 ? 0 : 1)} GB`;
const ms = (v: number): string => `${v >= 10 ? v.toFixed(1) : v.toFixed(2)} ms`;

export const perfMessages = {
  weightsDoNotFit(model: string, weights: string, weightsBytes: number, gpu: string, tp: number, usableBytes: number, minTp: number | null, gpusPerNode: number): string {
    const fix =
      minTp !== null
        ? `use tp >= ${minTp} or a smaller weight format`
        : `it does not fit one ${gpusPerNode}-GPU node at any tp: use a smaller weight format or a larger GPU`;
    return `${model} ${weights} needs ${gb(weightsBytes)} of weights; ${gpu} tp ${tp} has ${gb(usableBytes)} usable: ${fix}`;
  },
  contextDoesNotFit(model: string, contextTokens: number, kvBytes: number, gpu: string, tp: number, freeBytes: number, minTp: number | null): string {
    const fix = minTp !== null ? `use tp >= ${minTp}, an fp8 KV cache or shorter contexts` : 'use an fp8 KV cache, a smaller weight format or shorter contexts';
    return `${model} at context ${contextTokens} needs ${gb(kvBytes)} of KV cache per sequence; ${gpu} tp ${tp} has ${gb(Math.max(0, freeBytes))} left after the weights: ${fix}`;
  },
  prefixReserveLeavesNoRoom(reserveFraction: number, contextTokens: number): string {
    return `self_hosted.prefix_cache.reserve_fraction ${reserveFraction} leaves too little KV memory for one sequence at context ${contextTokens}: lower the reserve, or use a larger tp or an fp8 KV cache`;
  },
  tpotUnreachable(tpotMs: number, batch1Ms: number): string {
    return `no batch meets TPOT ${tpotMs} ms: batch 1 takes ${ms(batch1Ms)}`;
  },
  batchTooLarge(batch: number, maxBatch: number, contextTokens: number, minTp: number | null, tp: number): string {
    const more = minTp !== null && minTp > tp ? `, or use tp >= ${minTp}` : '';
    return `batch ${batch} at context ${contextTokens} does not fit: at most ${maxBatch} sequences fit in the KV cache; use --batch ${maxBatch} or less, an fp8 KV cache${more}`;
  },
  unknownId(kind: string, id: string, suggestions: string[], known: string[]): string {
    const hint = suggestions.length > 0 ? ` Did you mean ${suggestions.map((s) => `"${s}"`).join(' or ')}?` : '';
    return `unknown ${kind} "${id}".${hint} Known: ${known.join(', ') || '(none)'}`;
  },
  ttftBelowPrefill(ttftMs: number, prefillMs: number): string {
    return `TTFT target ${ttftMs.toFixed(0)} ms is below the prefill time alone (${prefillMs.toFixed(0)} ms)`;
  },
  ttftNoCapacity(ttftMs: number): string {
    return `TTFT target ${ttftMs.toFixed(0)} ms leaves under 1 % usable capacity`;
  },
  servingNeedsBoth(): string {
    return '--input-tokens and --output-tokens go together (the request shape of the serving answer); --tpot-ms, --ttft-ms, --prefix-hit and --prefix-reserve need them';
  },
  badNumber(option: string, value: string, rule: string): string {
    return `option '${option}' argument '${value}' is invalid: must be ${rule}`;
  },
} as const;
