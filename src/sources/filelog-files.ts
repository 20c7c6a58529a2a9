/**
 * The generations of one log path that the filelog source has still to read. A rotation replaces
 * the file at the path; in a rotation storm the next file may be rotated away too before the reader
 * gets to it. So a new file is opened as soon as inotify reports a change of the name (from the
 * watch callback, synchronously, see filelog-open.ts) and held here, in creation order, until the
 * reader has finished the file before it. After a copytruncate, {@link findTruncatedCopy} finds
 * the rotated copy that holds what was not read yet, by the first bytes the reader saw.
 */
import { closeSync, readdirSync, readSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { errorMessage } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { openRegularFile, sameFile } from './filelog-open.js';
import type { OpenedFile } from './filelog-open.js';

/** Files opened ahead at most; a further one is dropped and counted as a skip. */
export const MAX_PENDING_FILES = 64;
/** Rotated names never followed: compressed copies are not text. */
const COMPRESSED = /\.(gz|bz2|xz|zst|lz4|Z|zip)$/;
/** Rotated siblings looked at for a copytruncate copy, newest first. */
export const MAX_COPY_CANDIDATES = 128;

/** Whether `name` looks like a rotated copy of `base` (`kern.log.1`, `kern.log-20261202`). */
export function isRotatedName(base: string, name: string): boolean {
  return name.length > base.length + 1 && name.startsWith(base) && (name[base.length] === '.' || name[base.length] === '-') && !COMPRESSED.test(name);
}

/** Newer files of one path, opened ahead of the reader. */
export interface PendingFiles {
  /** The file being read, as taken or opened (newer files are those created after it). */
  setCurrent(file: OpenedFile | undefined): void;
  /** Opens what is at the path now if it is a file not yet held. */
  discover(): void;
  /** inotify reported the name created, deleted or moved: counts it and {@link discover}s. */
  nameChanged(): void;
  /** The oldest pending file, taken out. */
  take(): OpenedFile | undefined;
  /** The oldest pending file, left in. */
  peek(): OpenedFile | undefined;
  /**
   * Puts files older than every pending one (found under rotated names) first, in order; `found`
   * files were found in all (with those left out as empty or already read).
   */
  putFirst(files: readonly OpenedFile[], found: number): void;
  /**
   * Files at the path that were never opened nor found under a rotated name, not reported before:
   * a lower bound from the name's inotify events (a file that came and went gives two, a create
   * and a delete or move; each file opened accounts for its own). Reported only when `deleted` (the
   * file read last was deleted, not renamed): after a rename the files in between are found under
   * their rotated names, and a surplus there (seen in storms on a loaded machine) is dropped.
   */
  unopened(deleted: boolean): number;
  /** Whether `f` is the current file or a pending one. */
  holds(f: { dev: number; ino: number }): boolean;
  readonly size: number;
  /** Closes every pending file. */
  close(): void;
}

/**
 * Creates the pending-files list of `path`. `onSkip` is called when a file is dropped because
 * {@link MAX_PENDING_FILES} are already held. `open` opens a new file (replaceable in tests).
 */
export function createPendingFiles(path: string, log: Logger, onSkip: () => void, open: (path: string) => OpenedFile | undefined = openRegularFile): PendingFiles {
  let current: OpenedFile | undefined;
  let lastCurrent: OpenedFile | undefined;
  const pending: OpenedFile[] = [];
  // For unopened(): the name's events, the files opened at the path, those found under other names.
  let events = 0;
  let openedAtPath = 0;
  let foundRotated = 0;
  let reported = 0;
  const counted = new WeakSet<OpenedFile>();
  const countOpened = (f: OpenedFile): void => {
    counted.add(f);
    openedAtPath++;
  };
  const held = (f: { dev: number; ino: number }): boolean => (current !== undefined && sameFile(f, current)) || pending.some((p) => sameFile(p, f));
  // The last file dropped for want of room: met again (its next event, a poll), it is not counted again.
  let dropped: OpenedFile | undefined;
  const add = (f: OpenedFile, at: string): void => {
    if (held(f)) {
      closeSync(f.fd);
      return;
    }
    const again = dropped !== undefined && sameFile(f, dropped);
    if (again) counted.add(f);
    else countOpened(f);
    if (pending.length >= MAX_PENDING_FILES) {
      closeSync(f.fd);
      if (again) return;
      dropped = f;
      log.warn('too many rotated log files waiting to be read, one skipped', { path: at, max: MAX_PENDING_FILES });
      onSkip();
      return;
    }
    // Creation order where the filesystem records it, else (birth times all 0) the order they were found in.
    let i = pending.length;
    while (i > 0 && (pending[i - 1] as OpenedFile).birthMs > f.birthMs) i--;
    pending.splice(i, 0, f);
  };
  const tryOpen = (at: string): OpenedFile | undefined => {
    try {
      return open(at);
    } catch (err) {
      // The reader opens the path itself and reports what is wrong with it.
      log.debug('could not open a new log file ahead', { path: at, error: errorMessage(err) });
      return undefined;
    }
  };
  const discover = (): void => {
    if (!current) return; // the reader opens the first file itself
    try {
      if (held(statSync(path))) return;
    } catch {
      return; // missing, or the reader will say what is wrong
    }
    const f = tryOpen(path);
    if (f) add(f, path);
  };
  return {
    setCurrent(file) {
      // A file the reader opened itself (not the same one reopened after an error) is one more.
      if (file && !counted.has(file) && !(lastCurrent && sameFile(file, lastCurrent))) countOpened(file);
      current = file;
      if (file) lastCurrent = file;
    },
    discover,
    nameChanged() {
      events++;
      discover();
    },
    take: () => pending.shift(),
    peek: () => pending[0],
    putFirst(files, found) {
      for (const f of files) counted.add(f);
      foundRotated += found;
      pending.unshift(...files);
    },
    unopened(deleted) {
      // Every file opened but the first came with a create and the one before it went with a delete or move.
      const missed = Math.max(0, Math.floor((events - 2 * (openedAtPath - 1)) / 2) - foundRotated - reported);
      reported += missed;
      return deleted ? missed : 0;
    },
    holds: held,
    get size() {
      return pending.length;
    },
    close() {
      for (const f of pending.splice(0)) closeSync(f.fd);
    },
  };
}

/** Reads up to `max` bytes at the start of `fd`. */
export function readHead(fd: number, max: number): Buffer {
  const buf = Buffer.allocUnsafe(max);
  const n = readSync(fd, buf, 0, max, 0);
  return buf.subarray(0, n);
}

/** The names of `path`'s rotated siblings in its directory (none when the directory cannot be read). */
function readRotatedNames(path: string): string[] {
  try {
    return readdirSync(dirname(path)).filter((n) => isRotatedName(basename(path), n));
  } catch {
    return [];
  }
}

/**
 * After `path` was truncated, the rotated copy whose first bytes are `head` (what the reader saw
 * at the start of the file before), if any: it holds the bytes from the reader's offset on. The
 * caller owns (closes) the returned file. The newest match wins.
 */
export function findTruncatedCopy(path: string, head: Buffer, exclude: OpenedFile): OpenedFile | undefined {
  if (head.length === 0) return undefined;
  const dir = dirname(path);
  const names = readRotatedNames(path);
  const candidates: { name: string; mtimeMs: number }[] = [];
  for (const name of names) {
    try {
      const st = statSync(join(dir, name));
      if (st.isFile() && st.size >= head.length && !sameFile(st, exclude)) candidates.push({ name, mtimeMs: st.mtimeMs });
    } catch {
      // removed meanwhile
    }
  }
  candidates.sort((a, b) => b.mtimeMs - a.mtimeMs);
  for (const { name } of candidates.slice(0, MAX_COPY_CANDIDATES)) {
    let f: OpenedFile | undefined;
    try {
      f = openRegularFile(join(dir, name));
      if (f && readHead(f.fd, head.length).equals(head)) return f;
    } catch {
      // not readable: not the copy
    }
    if (f) closeSync(f.fd);
  }
  return undefined;
}

/**
 * Rotated siblings of `path` created between `after` and `before` (statx birth times, ms, both
 * included), oldest first, opened, except those `skip` names: generations the reader never opened
 * because they were rotated away before it got to them (the caller drops copies of what it read).
 * Empty when the filesystem records no birth times.
 */
export function findRotatedBetween(path: string, after: number, before: number, skip: (f: { dev: number; ino: number }) => boolean): OpenedFile[] {
  if (after <= 0) return [];
  const dir = dirname(path);
  const names = readRotatedNames(path);
  const found: { at: string; birthMs: number; ino: number }[] = [];
  for (const name of names) {
    try {
      const st = statSync(join(dir, name));
      // Inclusive: birth times tick coarsely (4 ms on ext4), files of one tick are told apart by inode.
      if (st.isFile() && st.birthtimeMs >= after && st.birthtimeMs <= before && !skip(st)) found.push({ at: join(dir, name), birthMs: st.birthtimeMs, ino: st.ino });
    } catch {
      // removed meanwhile
    }
  }
  found.sort((a, b) => a.birthMs - b.birthMs || a.ino - b.ino);
  const out: OpenedFile[] = [];
  for (const { at } of found.slice(0, MAX_PENDING_FILES)) {
    try {
      const f = openRegularFile(at);
      if (f) out.push(f);
    } catch {
      // not readable: skipped
    }
  }
  return out;
}
