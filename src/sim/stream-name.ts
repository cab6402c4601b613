/**
 * The name of a plan input's random stream (distributions/philox.ts `streamKey` hashes it):
 * its `key`, else its config path. A module of its own so that the trial code (and so each
 * trial thread) does not load plan.ts, which loads the config layer to compile plans.
 */
export function streamName(inp: { readonly key?: string; readonly path: string }): string {
  return inp.key ?? inp.path;
}
