/**
 * The WebAssembly API as this project uses it: TypeScript's ES libraries do not declare it,
 * Node.js has it (undefined under `node --jitless`, which the callers turn into a clear
 * error). The demand path's loops (traffic/path.ts) and the fleet passes (cost/fleet/kernel.ts)
 * share one memory per trial runner.
 */

/** A WebAssembly memory: its bytes (never grown here, so views into it stay valid). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
}

export const Wasm = (globalThis as unknown as {
  WebAssembly?: {
    Memory: new (d: { initial: number }) => WasmMemory;
    Module: new (bytes: Uint8Array) => object;
    Instance: new (module: object, imports: object) => { exports: unknown };
  };
}).WebAssembly;
