/**
 * Generate src/traffic/demand-wasm.ts (`npm run tables`): demand.wat, the demand path's hour
 * loops in WebAssembly's text format, assembled (util/wat.ts) into the binary module, as
 * base64. path.ts compiles it once per thread. test/traffic/demand-wasm.test.ts checks the
 * committed module is exactly this assembly.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { assembleWat, wasmModuleSource } from '../util/wat.js';

export const DEMAND_WAT = fileURLToPath(new URL('../../src/traffic/demand.wat', import.meta.url));
export const DEMAND_WASM_SOURCE = fileURLToPath(new URL('../../src/traffic/demand-wasm.ts', import.meta.url));

/** demand.wat assembled (validated by wabt), as bytes. */
export function assembleDemandWasm(): Promise<Uint8Array> {
  return assembleWat(DEMAND_WAT);
}

/** The text of src/traffic/demand-wasm.ts for `bytes`. */
export function demandWasmSource(bytes: Uint8Array): string {
  return wasmModuleSource({ generator: 'src/traffic/write-demand-wasm.ts', wat: 'demand.wat', what: "The demand path's hour loops", constName: 'DEMAND_WASM_BASE64' }, bytes);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeFileSync(DEMAND_WASM_SOURCE, demandWasmSource(await assembleDemandWasm()));
}
