/**
 * Opening a log path without ever blocking: only a regular file is followed. A FIFO would block
 * `open()` until a writer comes (and cannot be read at an offset), `/dev/zero` or `/dev/urandom`
 * behind a symlink would be read forever, a directory cannot be read at all: each is refused with a
 * {@link SourceError} that says what the path is. The path is checked with `stat` (following
 * symlinks, as `/var/log/containers/*.log` are), opened with `O_NONBLOCK` so that a FIFO swapped in
 * between the check and the open cannot block, and checked again with `fstat` on what was opened.
 * The calls are synchronous (microseconds on a local file): the file tracker opens a new file
 * from an inotify callback before the next rotation can move it away.
 */
import { closeSync, constants, fstatSync, openSync, statSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { SourceError } from '../core/errors.js';

/** A log file opened for reading. */
export interface OpenedFile {
  readonly fd: number;
  readonly dev: number;
  readonly ino: number;
  /** When the file was created (statx btime), 0 when the filesystem does not say. */
  readonly birthMs: number;
  /** Size at open. */
  readonly size: number;
}

/** What `stats` is, in words, for a refusal message. */
export function describeFileType(stats: Stats): string {
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  if (stats.isDirectory()) return 'a directory';
  return 'not a regular file';
}

/** The file-system calls {@link openRegularFile} makes (replaceable in tests: a path changed between the two). */
export interface OpenCalls {
  readonly stat: (path: string) => Stats;
  readonly open: (path: string, flags: number) => number;
}
const nodeCalls: OpenCalls = { stat: (path) => statSync(path), open: openSync };

const refuse = (path: string, stats: Stats): SourceError =>
  new SourceError(`${path} is ${describeFileType(stats)}, not a regular file: refused (a log path must be a regular file)`);

/**
 * Opens `path` read-only if it is a regular file; undefined if it does not exist. Throws
 * {@link SourceError} for anything else at the path, and the errno error of a failed `open`.
 * @example const f = openRegularFile('/var/log/kern.log'); // { fd, dev, ino, birthMs, size } | undefined
 */
export function openRegularFile(path: string, calls: OpenCalls = nodeCalls): OpenedFile | undefined {
  let before: Stats;
  try {
    before = calls.stat(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  if (!before.isFile()) throw refuse(path, before);
  let fd: number;
  try {
    fd = calls.open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined; // removed since the stat
    throw err;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw refuse(path, st);
    return { fd, dev: st.dev, ino: st.ino, birthMs: st.birthtimeMs, size: st.size };
  } catch (err) {
    closeSync(fd);
    throw err;
  }
}

/** Whether two opened files are the same inode. */
export function sameFile(a: { dev: number; ino: number }, b: { dev: number; ino: number }): boolean {
  return a.dev === b.dev && a.ino === b.ino;
}
