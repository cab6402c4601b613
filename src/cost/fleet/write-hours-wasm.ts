/**
 * Generate src/cost/fleet/hours-wasm.ts (`npm run tables`): hours.wat, the fleet policies'
 * hour passes in WebAssembly's text format, assembled (util/wat.ts) into the binary module, as
 * base64. kernel.ts compiles it once per thread. test/cost/hours-wasm.test.ts checks the
 * committed module is exactly this assembly.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { assembleWat, wasmModuleSource } from '../../util/wat.js';

export const HOURS_WAT = fileURLToPath(new URL('../../../src/cost/fleet/hours.wat', import.meta.url));
export const HOURS_WASM_SOURCE = fileURLToPath(new URL('../../../src/cost/fleet/hours-wasm.ts', import.meta.url));

/** hours.wat assembled (validated by wabt), as bytes. */
export function assembleHoursWasm(): Promise<Uint8Array> {
  return assembleWat(HOURS_WAT);
}

/** The text of src/cost/fleet/hours-wasm.ts for `bytes`. */
export function hoursWasmSource(bytes: Uint8Array): string {
  return wasmModuleSource({ generator: 'src/cost/fleet/write-hours-wasm.ts', wat: 'hours.wat', what: "The fleet policies' hour passes", constName: 'HOURS_WASM_BASE64' }, bytes);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeFileSync(HOURS_WASM_SOURCE, hoursWasmSource(await assembleHoursWasm()));
}
