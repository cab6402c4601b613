import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic, writeFilesAtomic } from '../../src/util/atomic.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'atomic-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('writeFileAtomic', () => {
  it('writes and replaces a file, leaving no temp file', () => {
    const p = join(dir, 'a.txt');
    writeFileAtomic(p, 'one');
    writeFileAtomic(p, new TextEncoder().encode('two'));
    expect(readFileSync(p, 'utf8')).toBe('two');
    expect(readdirSync(dir)).toEqual(['a.txt']);
  });
  it('leaves the old file and no temp when the rename fails', () => {
    const p = join(dir, 'target');
    mkdirSync(p); // renaming a file over a directory fails
    expect(() => writeFileAtomic(p, 'x')).toThrow();
    expect(readdirSync(dir)).toEqual(['target']);
  });
});

describe('writeFilesAtomic', () => {
  it('writes every file', () => {
    writeFilesAtomic([
      { path: join(dir, 'a'), data: 'A' },
      { path: join(dir, 'b'), data: 'B' },
    ]);
    expect(readFileSync(join(dir, 'a'), 'utf8')).toBe('A');
    expect(readFileSync(join(dir, 'b'), 'utf8')).toBe('B');
  });
  it('changes nothing when one temp cannot be written', () => {
    writeFileSync(join(dir, 'a'), 'old A');
    expect(() =>
      writeFilesAtomic([
        { path: join(dir, 'a'), data: 'new A' },
        { path: join(dir, 'missing-dir', 'b'), data: 'B' },
      ]),
    ).toThrow();
    expect(readFileSync(join(dir, 'a'), 'utf8')).toBe('old A');
    expect(readdirSync(dir)).toEqual(['a']);
  });
});
