/**
 * What every command does at its edges, in one place:
 * - reading a file the user named (`readUserFile`: regular files only, size-capped while
 *   reading, through util/read-input.ts);
 * - writing outputs (`writeOutputsOrStop`: staged temps, a Ctrl-C check before the renames,
 *   renamed as a set; file-system failures become exit 2 with what is wrong);
 * - whole-number flags (`intArg`: one parser for every command);
 * - honouring Ctrl-C between steps (`throwIfStopped`).
 */
import { InvalidArgumentError } from 'commander';
import { accessSync, constants, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { UserError } from '../errors.js';
import { stageFiles, type StagedFiles } from '../util/atomic.js';
import { describeReadFailure, MAX_INPUT_BYTES, readInputFile } from '../util/read-input.js';
import { safeText } from '../util/terminal.js';
import type { CliIO } from './io.js';

/** Exit code of a run stopped with Ctrl-C (128 + SIGINT), as shells report it. */
export const EXIT_STOPPED = 130;

/** The message of a run stopped before anything was written. */
export const STOPPED_NOTHING_WRITTEN = 'stopped by the user; nothing was written';

/** Throw the "stopped" UserError (exit 130) when the user pressed Ctrl-C. O(1). */
export function throwIfStopped(io: CliIO, message = STOPPED_NOTHING_WRITTEN): void {
  if (io.signal?.aborted) throw new UserError(message, EXIT_STOPPED);
}

/**
 * The text of `file` (as the user wrote it; `abs` is where it is), or a UserError (exit 2)
 * naming the file and why: missing, a directory, a device/FIFO/socket, too large, binary.
 */
export function readUserFile(file: string, abs: string, maxBytes = MAX_INPUT_BYTES): string {
  const r = readInputFile(abs, maxBytes);
  if (!r.ok) throw new UserError(`${safeText(file)}: ${describeReadFailure(r)}`);
  return r.text;
}

/** Why writing `shown` failed, in words, from a file-system error (exit 2: the user can fix it). */
export function writeFailure(shown: string, err: unknown): UserError {
  const e = err as NodeJS.ErrnoException;
  const why: Record<string, string> = {
    ENOENT: 'the folder does not exist',
    ENOTDIR: 'a part of the path is a file, not a folder',
    EISDIR: 'is a directory; give a file name, or remove the directory',
    EEXIST: 'a file is in the way where a folder is needed',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    EROFS: 'the file system is read-only',
    ENOSPC: 'no space left on the device',
    EDQUOT: 'disk quota exceeded',
    ENAMETOOLONG: 'the file name is too long',
  };
  const reason = (e.code !== undefined ? why[e.code] : undefined) ?? `cannot write (${e.code ?? e.message})`;
  return new UserError(`${safeText(shown)}: ${reason}; nothing was written`);
}

/**
 * Write `files` as a set: temps first (a failure writes nothing), then, after one turn of the
 * event loop so a pending Ctrl-C is seen, either discard them (exit 130, nothing new written)
 * or rename them all. `shown(path)` names a file for messages. The first file is renamed last.
 */
export async function writeOutputsOrStop(
  io: CliIO,
  stage: () => StagedFiles,
  shown: (path: string) => string,
): Promise<readonly string[]> {
  throwIfStopped(io);
  let staged: StagedFiles;
  try {
    staged = stage();
  } catch (err) {
    throw asWriteError(err, shown);
  }
  // the writes above are synchronous: a SIGINT that came during them is delivered now
  await new Promise<void>((r) => setImmediate(r));
  if (io.signal?.aborted) {
    staged.discard();
    throw new UserError(STOPPED_NOTHING_WRITTEN, EXIT_STOPPED);
  }
  try {
    staged.commit();
  } catch (err) {
    throw asWriteError(err, shown);
  }
  return staged.paths;
}

function asWriteError(err: unknown, shown: (path: string) => string): Error {
  if (err instanceof UserError) return err;
  const e = err as NodeJS.ErrnoException & { target?: string };
  if (typeof e?.code === 'string') return writeFailure(shown(e.target ?? (typeof e.path === 'string' ? e.path : '')), err);
  return err as Error;
}

/** Write one file (stage, Ctrl-C check, rename); see `writeOutputsOrStop`. */
export async function writeFileOrStop(io: CliIO, path: string, data: string, shownName: string): Promise<void> {
  await writeOutputsOrStop(io, () => stageFiles([{ path, data }]), () => shownName);
}

/**
 * Fail fast on an output folder that cannot be written, before a long run: `dir` (or, when it
 * does not exist yet, its nearest existing ancestor) must be a folder this process may write
 * to. Creates nothing. O(path depth). The renames later can still fail (a full disk); they
 * are checked again there.
 */
export function checkOutputFolder(dir: string, shown: string): void {
  let probe = dir;
  for (;;) {
    let st;
    try {
      st = statSync(probe);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') {
        const up = dirname(probe);
        if (up === probe) return;
        probe = up;
        continue;
      }
      throw writeFailure(shown, e);
    }
    if (!st.isDirectory()) throw writeFailure(shown, Object.assign(new Error('not a folder'), { code: probe === dir ? 'EEXIST' : 'ENOTDIR' }));
    try {
      accessSync(probe, constants.W_OK | constants.X_OK);
    } catch (e) {
      throw writeFailure(shown, e);
    }
    return;
  }
}

/**
 * The one parser for whole-number flags (`--trials`, `--seed`, `--workers`, `--batch`, `--tp`...):
 * decimal digits only, within [min, max]. `1e3`, `1.5`, `-3` and `0x10` are refused (`Number`
 * would read `1e3` as 1000 and `0x10` as 16; a flag means what its digits say). The length is
 * capped before the regex. The message names the flag and the rule.
 * @example intArg('--trials', 1, 1e7)('1000') // 1000
 */
export function intArg(name: string, min: number, max: number): (v: string) => number {
  return (v: string): number => {
    const n = v.length <= 40 && /^\s*\d+\s*$/.test(v) ? Number(v) : NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`${name} must be a whole number from ${min} to ${max}`);
    }
    return n;
  };
}
