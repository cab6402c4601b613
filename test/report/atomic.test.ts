import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stageFiles, writeFileAtomic, writeFilesAtomic } from '../../src/util/atomic.js';

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

describe('stageFiles: a set renamed together', () => {
  it('refuses a target that is a directory before writing anything', () => {
    writeFileSync(join(dir, 'r.json'), 'old json');
    mkdirSync(join(dir, 'r.html'));
    expect(() => stageFiles([{ path: join(dir, 'r.json'), data: 'new' }, { path: join(dir, 'r.html'), data: 'new' }])).toThrow(/EISDIR/);
    expect(readFileSync(join(dir, 'r.json'), 'utf8')).toBe('old json');
    expect(readdirSync(dir).sort()).toEqual(['r.html', 'r.json']);
  });

  it('puts back the files it replaced when a later rename fails, so no new file sits beside an old one', () => {
    writeFileSync(join(dir, 'r.json'), 'old json');
    writeFileSync(join(dir, 'r.html'), 'old html');
    const staged = stageFiles([{ path: join(dir, 'r.json'), data: 'new json' }, { path: join(dir, 'r.html'), data: 'new html' }]);
    // the JSON is renamed last; make its rename fail after the HTML was replaced
    rmSync(join(dir, 'r.json'));
    mkdirSync(join(dir, 'r.json'));
    writeFileSync(join(dir, 'r.json', 'x'), 'blocks the rename');
    expect(() => staged.commit()).toThrow();
    expect(readFileSync(join(dir, 'r.html'), 'utf8')).toBe('old html');
    expect(readdirSync(dir).sort()).toEqual(['r.html', 'r.json']);
  });

  it('discard removes the temps and leaves the targets', () => {
    writeFileSync(join(dir, 'a'), 'old');
    const staged = stageFiles([{ path: join(dir, 'a'), data: 'new' }]);
    expect(readdirSync(dir).length).toBe(2);
    staged.discard();
    expect(readdirSync(dir)).toEqual(['a']);
    expect(readFileSync(join(dir, 'a'), 'utf8')).toBe('old');
  });
});
