/**
 * copytruncate for the filelog source. A file is known by its first bytes (its head): after every
 * read the head is compared with the one seen before, and a change (or a size below the offset)
 * means the file was truncated, even if it grew past the offset again. Then:
 * - the rest of the generation being read comes from the rotated copy that starts with its head,
 *   from the reader's offset on (none found: the unread bytes are counted and logged as lost);
 * - generations truncated since (a storm faster than the reader) come whole from copies created
 *   after that one, in creation order, up to a copy of what the file holds now;
 * - the file is read again from 0, and the head seen at the truncation is kept, so a further
 *   truncation before that read is detected too. If the file was empty then, the first bytes read
 *   later are checked against copies made since (a generation copied before it was ever read).
 * A rotated copy starting like a generation already read is never read again.
 */
import { closeSync } from 'node:fs';
import type { FileRotationStyle, FileSkipReason } from '../core/telemetry.js';
import type { Logger } from '../core/logger.js';
import type { ChunkReader } from './filelog-chunks.js';
import { findRotatedBetween, findTruncatedCopy, MAX_PENDING_FILES, readHead } from './filelog-files.js';
import { sameFile } from './filelog-open.js';
import type { OpenedFile } from './filelog-open.js';
import type { LogLine } from './log-source.js';

/** Bytes at the start of a file that identify it: a truncated file that regrew starts differently. */
export const HEAD_BYTES = 1024;
/** Heads of generations read that are remembered. */
const SEEN_HEADS = 64;

/** The file being read. */
export interface Reading extends OpenedFile {
  offset: number;
  /** Its first bytes as last seen (up to HEAD_BYTES); empty while none were seen. */
  head: Buffer;
  /** The largest size it is known to have had. */
  known: number;
  /** Birth time of the newest rotated copy read (0: none): later copies may hold unread generations. */
  copiedAfter: number;
}

/** Whether `a` and `b` are not empty and agree on their common length. */
export function sameStart(a: Buffer, b: Buffer): boolean {
  const n = Math.min(a.length, b.length);
  return n > 0 && a.subarray(0, n).equals(b.subarray(0, n));
}

/** Where a truncation's counts and log lines go. */
export interface TruncationReport {
  readonly path: string;
  readonly log: Logger;
  rotation(style: FileRotationStyle): void;
  skip(reason: FileSkipReason): void;
}

/** Truncation detection and recovery for one path. */
export interface TruncationRecovery {
  /**
   * Whether the file, starting with `head` now, is no longer (or may no longer be) the generation
   * `f` was reading: then {@link recover} before using what was read.
   */
  changed(f: Reading, head: Buffer): boolean;
  /** Remembers the head of a generation read, so a copy of it is not read again. */
  remember(head: Buffer): void;
  /** Of `files`, those not starting like a generation read; the others are closed. */
  unseen(files: OpenedFile[]): OpenedFile[];
  /** Reads what the truncation would have lost and sets `f` to the start of the file. */
  recover(f: Reading): AsyncGenerator<readonly LogLine[]>;
}

/** Creates the truncation handling of the file at `report.path`, reading copies through `reader`. */
export function createTruncationRecovery(reader: ChunkReader, report: TruncationReport): TruncationRecovery {
  const { path, log } = report;
  // The first bytes of the generations read: a rotated file starting with one of them is a copy of
  // something read, not a generation that was never opened.
  const seen: Buffer[] = [];
  const remember = (head: Buffer): void => {
    if (head.length > 0) seen.push(head);
    if (seen.length > SEEN_HEADS) seen.shift();
  };
  const unseen = (files: OpenedFile[]): OpenedFile[] => files.filter((c) => {
    const head = readHead(c.fd, HEAD_BYTES);
    const known = head.length === 0 || seen.some((h) => sameStart(h, head));
    if (known) closeSync(c.fd);
    return !known;
  });

  return {
    changed(f, head) {
      if (f.head.length > 0) return head.length < f.head.length || !head.subarray(0, f.head.length).equals(f.head);
      // Read from 0 after a truncation while the file was empty: a generation may have been
      // copied and truncated before any of it was seen.
      return f.copiedAfter > 0 && head.length > 0;
    },
    remember,
    unseen,
    async *recover(f) {
      await reader.dropAhead();
      const from = f.offset;
      const detected = f.head.length > 0; // else only the check of a generation started unseen
      const copy = detected ? findTruncatedCopy(path, f.head, f) : undefined;
      if (copy) remember(f.head);
      let after = copy ? Math.max(f.copiedAfter, copy.birthMs) : f.copiedAfter;
      // Copies made since: generations truncated before they were read to the end.
      const list = (): OpenedFile[] => findRotatedBetween(path, after, Infinity, (c) => sameFile(c, f) || (copy !== undefined && sameFile(c, copy)));
      let listed = list();
      // What the file holds now, read after the copies were listed: a listed copy of it (copied,
      // not truncated yet) starts the same, and is then read from the file, not from the copy. No
      // copy may be made between the listing and this read (the process can be descheduled for
      // longer than a rotation): listed again until the list did not grow.
      let now = readHead(f.fd, HEAD_BYTES);
      for (let tries = 0; tries < 4; tries++) {
        const again = list();
        const grew = again.length > listed.length;
        for (const c of grew ? listed : again) closeSync(c.fd);
        if (!grew) break;
        listed = again;
        now = readHead(f.fd, HEAD_BYTES);
      }
      const later = unseen(listed);
      const opened = copy ? [copy, ...later] : later;
      let recovered = 0;
      let reachedNow = false;
      try {
        if (copy) {
          recovered += yield* reader.readRest(copy, from);
        } else if (detected) {
          reader.reset(); // a line cut by the loss: its rest is gone
          if (f.known > from) {
            report.skip('truncated');
            log.warn('log file truncated before it was read to the end and no rotated copy starts like it: the rest is lost', { path, offset: from, unreadBytes: f.known - from });
          }
        }
        for (const c of later) {
          const head = readHead(c.fd, HEAD_BYTES);
          reachedNow = sameStart(head, now);
          if (reachedNow) break; // a copy of what the file holds now: read from the file
          yield* reader.endOfFile();
          remember(head);
          recovered += yield* reader.readRest(c, 0);
          after = Math.max(after, c.birthMs);
          report.rotation('truncated');
        }
      } finally {
        for (const c of opened) closeSync(c.fd);
      }
      yield* reader.endOfFile();
      if (detected) {
        report.rotation('truncated');
        log.info('log file truncated, reading from the start', { path, offset: from, recoveredBytes: recovered });
      }
      f.copiedAfter = after;
      f.offset = 0;
      // As many copies as are listed at once were read and more may wait: the next read goes on with them.
      f.head = listed.length >= MAX_PENDING_FILES && !reachedNow ? Buffer.alloc(0) : now;
      f.known = 0;
    },
  };
}
