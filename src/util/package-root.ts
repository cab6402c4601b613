/**
 * The package's root folder (where package.json, hardware/, engines/ and workloads/ live),
 * found by walking up from the calling module's folder to the package.json named
 * gpu-breakeven. The code runs from src/ (tests, tsx) and dist/ (tsc output), and a module may
 * move between folders, so no fixed relative path is relied on.
 * O(depth) file reads, once per caller.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PACKAGE_NAME = 'gpu-breakeven';

/** The parsed package.json in `dir` when it is this package's, else null. */
function ourPackage(dir: string): { name: string; version: string } | null {
  try {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
    return pkg.name === PACKAGE_NAME ? (pkg as { name: string; version: string }) : null;
  } catch {
    return null;
  }
}

/**
 * The package root above the module at `moduleUrl` (pass `import.meta.url`), with its
 * package.json; two levels up from it when none is found (a copy of the sources alone).
 */
export function packageRoot(moduleUrl: string): { dir: string; pkg: { name: string; version: string } | null } {
  const start = dirname(fileURLToPath(moduleUrl));
  for (let dir = start; ; ) {
    const pkg = ourPackage(dir);
    if (pkg) return { dir, pkg };
    const up = dirname(dir);
    if (up === dir) return { dir: resolve(start, '..', '..'), pkg: null };
    dir = up;
  }
}
