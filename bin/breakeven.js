#!/usr/bin/env node
// The `breakeven` command. Runs the CLI's bundle (dist/bundle/, built with the rest of dist/ by
// `npm ci`/`npm install` through the `prepare` script; see build/bundle.mjs).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/bundle/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('breakeven: dist/ is missing; run `npm install` (or `npm run build`) in the project first\n');
  process.exit(2);
}
await import(entry.href);
