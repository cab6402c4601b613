#!/usr/bin/env node
// The `breakeven` command. Runs the compiled CLI (dist/, built by `npm ci`/`npm install`
// through the `prepare` script).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('breakeven: dist/ is missing; run `npm install` (or `npm run build`) in the project first\n');
  process.exit(2);
}
await import(entry.href);
