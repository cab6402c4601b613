/**
 * The one way a command reads a file the user named (configs, traces, results, price tables,
 * benchmark outputs). It refuses what is not a regular file and enforces the size limit while
 * reading, not from `stat` (a device says size 0 and never ends):
 *
 *   open(O_RDONLY | O_NONBLOCK) → fstat the descriptor → refuse non-regular → read ≤ limit + 1 bytes
 *
 * O_NONBLOCK makes opening a FIFO return at once (a blocking open waits for a writer, and
 * Ctrl-C cannot interrupt the synchronous call); fstat on the open descriptor then refuses it,
 * with no window between a `stat` and the `open`. Sockets cannot be opened (ENXIO): the same
 * refusal. Text holding NUL bytes is refused as binary (no config, trace or table has them;
 * /proc/self/environ does, and an error message must not echo it). Cost: O(limit) time and
 * memory at most, one read per 64 KB.
 */
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';

/** Default size limit, bytes: a scenario or catalog is a few KB; this guards against mistakes. */
export const MAX_INPUT_BYTES = 10 * 1024 * 1024;

export type ReadInputFailure =
  | { ok: false; reason: 'not-found' }
  | { ok: false; reason: 'directory' }
  | { ok: false; reason: 'not-regular'; kind: string }
  | { ok: false; reason: 'too-large'; limit: number }
  | { ok: false; reason: 'binary' }
  | { ok: false; reason: 'unreadable'; code: string };
export type ReadInputResult = { ok: true; text: string } | ReadInputFailure;

function kindOf(st: Stats): string {
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * Read `path` as UTF-8 text (a leading BOM kept; parsers strip it). Never throws for what the
 * file is or holds; returns why it cannot be read instead. `maxBytes` bounds what is read.
 * @example const r = readInputFile('workload.yaml'); if (!r.ok) report(describeReadFailure(r));
 */
export function readInputFile(path: string, maxBytes = MAX_INPUT_BYTES): ReadInputResult {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { ok: false, reason: 'not-found' };
    if (code === 'ENXIO') return { ok: false, reason: 'not-regular', kind: 'a socket' };
    if (code === 'EISDIR') return { ok: false, reason: 'directory' };
    return { ok: false, reason: 'unreadable', code };
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) return { ok: false, reason: 'directory' };
    if (!st.isFile()) return { ok: false, reason: 'not-regular', kind: kindOf(st) };
    if (st.size > maxBytes) return { ok: false, reason: 'too-large', limit: maxBytes };
    const chunks: Buffer[] = [];
    let total = 0;
    const chunk = 64 * 1024;
    for (;;) {
      // read at most one byte past the limit: enough to know it is exceeded (files grow, and
      // /proc files report size 0)
      const want = Math.min(chunk, maxBytes + 1 - total);
      if (want <= 0) return { ok: false, reason: 'too-large', limit: maxBytes };
      const buf = Buffer.allocUnsafe(want);
      let n: number;
      try {
        n = readSync(fd, buf, 0, want, null);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
        if (code === 'EISDIR') return { ok: false, reason: 'directory' };
        return { ok: false, reason: 'unreadable', code };
      }
      if (n === 0) break;
      chunks.push(n === want ? buf : buf.subarray(0, n));
      total += n;
    }
    const bytes = Buffer.concat(chunks, total);
    if (bytes.includes(0)) return { ok: false, reason: 'binary' };
    return { ok: true, text: bytes.toString('utf8') };
  } finally {
    closeSync(fd);
  }
}

/** Why a read failed, in words (the caller adds the file name). */
export function describeReadFailure(f: ReadInputFailure): string {
  switch (f.reason) {
    case 'not-found':
      return 'file not found';
    case 'directory':
      return 'is a directory, not a file';
    case 'not-regular':
      return `is ${f.kind}, not a regular file (inputs must be regular files)`;
    case 'too-large':
      return `cannot read the file: larger than ${formatLimit(f.limit)}`;
    case 'binary':
      return 'is not a text file (it holds NUL bytes)';
    case 'unreadable':
      return `cannot read the file: ${f.code}`;
  }
}

function formatLimit(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${bytes / 1024 / 1024} MB` : `${bytes} bytes`;
}
