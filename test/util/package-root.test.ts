/** The package root is found from any depth below it, and not outside it. */
import { describe, expect, it } from 'vitest';
import { pathToFileURL } from 'node:url';
import { join, resolve } from 'node:path';
import { packageRoot } from '../../src/util/package-root.js';

describe('packageRoot', () => {
  const root = resolve('.');
  it('walks up to the package.json named gpu-breakeven, from any depth', () => {
    for (const file of ['src/version.ts', 'dist/config/load.js', 'dist/bundle/chunk-X.js', 'package.json']) {
      const r = packageRoot(pathToFileURL(join(root, file)).href);
      expect(r.dir, file).toBe(root);
      expect(r.pkg?.name, file).toBe('gpu-breakeven');
    }
  });

  it('outside the package finds none and says so (two levels up, no package.json)', () => {
    const r = packageRoot(pathToFileURL('/no-such-dir/a/b/c.js').href);
    expect(r.pkg).toBeNull();
    expect(r.dir).toBe('/no-such-dir');
  });
});
