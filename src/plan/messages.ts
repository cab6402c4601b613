/**
 * Every sentence `plan` shows a user (pruning reasons, the answer), in one module, so tests
 * assert exact wording and changes to it are deliberate (STYLE 10).
 */
export const planMessages = {
  noFp8(gpu: string, what: 'weights' | 'KV cache'): string {
    return `${gpu} has no FP8 tensor cores (no fp8 peak in its profile): FP8 ${what} would run emulated, so it is not offered`;
  },
  noInt8(gpu: string): string {
    return `${gpu} lists no int8 tensor peak: INT8 (W8A8) weights are not offered`;
  },
  tpOverMax(tp: number, maxGpus: number): string {
    return `tp ${tp} needs ${tp} GPUs per replica, over --max-gpus ${maxGpus}`;
  },
  dominatedTp(tp: number, perGpu: number, smallerTp: number, smallerPerGpu: number): string {
    return `tp ${tp} serves ${perGpu.toPrecision(3)} requests/s per GPU, no more than tp ${smallerTp} (${smallerPerGpu.toPrecision(3)}) at the same $/GPU-h, and scales in coarser steps`;
  },
  dominatedKv(perGpu: number, fp8PerGpu: number): string {
    return `a bf16 KV cache serves ${perGpu.toPrecision(3)} requests/s per GPU, no more than an FP8 one (${fp8PerGpu.toPrecision(3)}) on the same GPUs; pass --kv bf16 to search it anyway`;
  },
  pricingMissing(mode: string, gpu: string, field: string): string {
    return `${gpu} has no ${field} in its profile, so ${mode} pricing cannot be priced`;
  },
  ownedNeedsPower(): string {
    return 'owned hardware needs self_hosted.power (electricity $/kWh and PUE) in the workload';
  },
  sameAsWritten(id: string): string {
    return `the same configuration as the workload's own option "${id}"`;
  },
  overMaxGpus(p90: number, maxGpus: number): string {
    return `needs ${p90} GPUs at p90, over --max-gpus ${maxGpus}`;
  },
  missesSlo(share: number, target: number): string {
    return `meets the ${Math.round(target * 1000) / 10} % SLO attainment target in only ${Math.round(share * 1000) / 10} % of trials`;
  },
  missesSloByViolations(p90Hours: number, allowedHours: number): string {
    return `p90 of ${p90Hours} hours over capacity exceeds the ${allowedHours.toPrecision(3)} hours the attainment target allows`;
  },
  sometimesInfeasible(share: number): string {
    return `can run in only ${Math.round(share * 1000) / 10} % of trials`;
  },
  unknownId(what: string, flag: string, id: string, near: readonly string[], known: readonly string[]): string {
    return `${flag}: unknown ${what} "${id}"${near.length ? `. Did you mean ${near.join(' or ')}?` : ''} (known: ${known.join(', ')})`;
  },
  answerBest(label: string, gpusP50: string, gpusP90: string, cost: string, pCheaper: string, be: string): string {
    return `Cheapest configuration meeting the SLO: ${label}, ${gpusP50} GPU${gpusP50 === '1' ? '' : 's'} (p90 ${gpusP90}), ${cost}/month (median), cheaper than the API while meeting the SLO in ${pCheaper} of trials, break-even ${be}.`;
  },
  answerVersus(api: string, pCheaper: string, savings: string): string {
    return `Against ${api}: cheaper while meeting the SLO in ${pCheaper} of trials, saves ${savings}/month (median).`;
  },
  answerNoFit(nearest: string | null): string {
    return `No configuration fits: ${nearest ? `the nearest miss is ${nearest}` : 'nothing was left to simulate'}.`;
  },
  answerNoneMeetsSlo(label: string, why: string): string {
    return `No simulated configuration meets the SLO; the cheapest that runs is ${label}, which ${why}.`;
  },
};
