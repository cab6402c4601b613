/**
 * Atomic file writes: write a temp file in the target's directory, fsync it, rename it over
 * the target (rename within one file system is atomic on POSIX), so a reader sees the old
 * file or the new one, never half of one. Temp files are removed on failure, and by
 * `removeLiveTemps` when a signal ends the process. Several outputs of one run are staged
 * first (`stageFiles`), so a caller can check for Ctrl-C after the slow part (writing and
 * fsyncing) and before the renames, and then commit them as a set.
 */
import { closeSync, fsyncSync, linkSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
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
  live.add(tmp);
  try {
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  } finally {
    live.delete(tmp);
  }
  fsyncDir(dirname(path));
}

/** Files written to temps and checked, waiting to be renamed over their targets. */
export interface StagedFiles {
  /** the targets, in the order given */
  readonly paths: readonly string[];
  /**
   * Rename every temp over its target, as a set: targets that already exist are first
   * hard-linked to a backup, so if a rename fails part-way the renamed ones are put back
   * and no new file sits beside an old one. The first file given is renamed last (callers
   * put the file that machines read, the JSON, first).
   */
  commit(): void;
  /** Remove the temps; no target changes. Safe to call twice or after commit. */
  discard(): void;
}

/** Mark a file-system error with the target it was about (its `path` names the temp file). */
function withTarget(err: unknown, target: string): unknown {
  return err !== null && typeof err === 'object' ? Object.assign(err, { target }) : err;
}

/** Temp and backup files of this process not yet renamed or removed (for a forced exit). */
const live = new Set<string>();

/**
 * Remove the temp files this process has not renamed yet: for a signal handler that exits
 * at once (a second Ctrl-C, SIGTERM), so no `.tmp-*` file is left behind. O(live temps).
 */
export function removeLiveTemps(): void {
  for (const t of live) rmSync(t, { force: true });
  live.clear();
}

/**
 * Write every file to a temp next to its target (fsynced) and check that each target can be
 * replaced (not a directory), renaming nothing yet. If anything fails, every temp is removed
 * and the error is thrown; no target changes. O(total bytes).
 */
export function stageFiles(files: readonly { path: string; data: string | Uint8Array }[]): StagedFiles {
  const temps: string[] = [];
  const discard = () => {
    for (const t of temps) {
      rmSync(t, { force: true });
      live.delete(t);
    }
    temps.length = 0;
  };
  try {
    for (const f of files) {
      let isDir = false;
      try {
        isDir = statSync(f.path).isDirectory();
      } catch {
        /* no target yet: fine */
      }
      if (isDir) throw Object.assign(new Error(`EISDIR: is a directory, cannot replace it with a file: ${f.path}`), { code: 'EISDIR', path: f.path });
      let t: string;
      try {
        t = writeTemp(f.path, f.data);
      } catch (err) {
        throw withTarget(err, f.path);
      }
      temps.push(t);
      live.add(t);
    }
  } catch (err) {
    discard();
    throw err;
  }
  const paths = files.map((f) => f.path);
  return {
    paths,
    discard,
    commit() {
      if (temps.length !== files.length) throw new Error('stageFiles: commit after discard');
      const order = paths.map((_, i) => i).reverse();
      const done: { i: number; backup: string | null }[] = [];
      try {
        for (const i of order) {
          const target = paths[i]!;
          let backup: string | null = tempPathFor(target);
          try {
            linkSync(target, backup);
            live.add(backup);
          } catch {
            backup = null; // no old file (or no hard links here): nothing to put back
          }
          done.push({ i, backup });
          try {
            renameSync(temps[i]!, target);
          } catch (err) {
            throw withTarget(err, target);
          }
          live.delete(temps[i]!);
        }
      } catch (err) {
        // put back what was replaced (newest first), remove what was new
        for (const d of done.reverse()) {
          const target = paths[d.i]!;
          try {
            if (d.backup !== null) renameSync(d.backup, target);
            else if (!live.has(temps[d.i]!)) rmSync(target, { force: true });
          } catch {
            /* best effort: the error below says what failed */
          }
          if (d.backup !== null) live.delete(d.backup);
        }
        discard();
        throw err;
      }
      for (const d of done) {
        if (d.backup !== null) {
          rmSync(d.backup, { force: true });
          live.delete(d.backup);
        }
      }
      temps.length = 0;
      for (const dir of new Set(paths.map((p) => dirname(p)))) fsyncDir(dir);
    },
  };
}

/**
 * Write several files as one step: `stageFiles` then `commit`. If any write fails, all temps
 * are removed and no target changes; if a rename fails, the replaced files are put back.
 */
export function writeFilesAtomic(files: readonly { path: string; data: string | Uint8Array }[]): void {
  stageFiles(files).commit();
}
