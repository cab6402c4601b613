/**
 * Atomic file writes: write a temp file in the target's directory, fsync it, rename it over
 * the target (rename within one file system is atomic on POSIX), so a reader sees the old
 * file or the new one, never half of one. Temp files are removed on failure.
 */
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

let counter = 0;

function tempPathFor(path: string): string {
  counter += 1;
  return join(dirname(path), `.tmp-${basename(path)}.${process.pid}.${counter}`);
}

/** Write `data` to a new temp file next to `path` and fsync it; returns the temp path. */
function writeTemp(path: string, data: string | Uint8Array): string {
  const tmp = tempPathFor(path);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx', 0o644);
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    return tmp;
  } catch (err) {
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {
        /* already failing */
      }
    }
    rmSync(tmp, { force: true });
    throw err;
  }
}

/** fsync a directory so the rename itself is durable (best effort: not every OS allows it). */
function fsyncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    /* directories cannot be opened for fsync on some platforms */
  }
}

/**
 * Write one file atomically: temp file in the same directory, fsync, rename.
 * On failure the temp file is removed and the previous file (if any) is left intact.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const tmp = writeTemp(path, data);
  try {
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  fsyncDir(dirname(path));
}

/**
 * Write several files as one step: every temp file is written (and fsynced) first, then all
 * are renamed. If any write fails, all temps are removed and no target changes. (A failure
 * between renames, which needs the file system to fail mid-way, can leave a mix of old and
 * new files, each one whole.)
 */
export function writeFilesAtomic(files: readonly { path: string; data: string | Uint8Array }[]): void {
  const temps: string[] = [];
  try {
    for (const f of files) temps.push(writeTemp(f.path, f.data));
  } catch (err) {
    for (const t of temps) rmSync(t, { force: true });
    throw err;
  }
  let i = 0;
  try {
    for (; i < files.length; i++) renameSync(temps[i]!, files[i]!.path);
  } catch (err) {
    for (let j = i; j < temps.length; j++) rmSync(temps[j]!, { force: true });
    throw err;
  }
  for (const d of new Set(files.map((f) => dirname(f.path)))) fsyncDir(d);
}
