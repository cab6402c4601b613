// Build step (`npm run build`, which `npm ci` runs): bundle the CLI and its two worker entries
// with esbuild into dist/bundle/, which bin/breakeven.js runs. The tsc output in dist/ stays
// (bench/ and the tests' worker threads load it); the bundle is the same code in a few files
// instead of ~110 of ours and ~150 of our dependencies' (zod alone is ~100 ES modules): loading
// the modules the default run needs took 134-146 ms, bundled 44-52 ms (zod 47-53 ms → 11-12 ms).
// Dynamic import() stays lazy (code splitting: each command still loads only what it runs).
// Not bundled: vega and vega-lite (loaded from their single-file builds by report/render.ts),
// mathjs (required on first use by config/expr.ts): both are resolved from node_modules at run time.
//   node build/bundle.mjs
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}dist/bundle`;
rmSync(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  // flat names: engine.ts and render.ts find their workers next to themselves ('./worker.js',
  // './render-worker.js' relative to the chunk that holds them)
  entryPoints: { main: 'src/cli/main.ts', worker: 'src/sim/worker.ts', 'render-worker': 'src/report/render-worker.ts' },
  outdir,
  entryNames: '[name]',
  chunkNames: 'chunk-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['vega', 'vega-lite', 'mathjs'],
  // CommonJS dependencies (commander) call require(); give the ES module bundle one
  banner: { js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);" },
  logLevel: 'warning',
});
