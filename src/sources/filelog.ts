/**
 * The `filelog` source: follows a text file like `tail -F`, through an fd of its own, and only a
 * regular file (a FIFO, a device or a directory at the path is refused, see filelog-open.ts).
 * Rotation in every style loses nothing the reader could still reach:
 * - rename or delete + recreate: inotify on the directory reports the new file and it is opened at
 *   once and held until the old one is read to its end (filelog-files.ts), so a storm of rotations
 *   is read file by file, in creation order. Without inotify, the path's inode is compared at the
 *   end of the file.
 * - copytruncate: after every read the first bytes of the file are compared with those seen before;
 *   a change (or a size below the offset) means the file was truncated, even if it grew past the
 *   offset again, and the rest of the old content is read from the rotated copy with those first
 *   bytes before the new content is read from offset 0.
 * Each rotation is counted (`npd_source_file_rotations_total`), each known loss logged and counted
 * (`npd_source_file_skips_total`). It waits for a missing file, reopens with backoff after errors
 * and resumes at the same offset. NPD's filelog has no copytruncate handling and reopens at 0.
 * Reads up to 1 MiB at a time, at most one read ahead of the consumer (the generator reads only
 * when pulled), and `batches()` yields the lines of each 64 KiB of it as one array.
 */
import { closeSync, fstatSync, read as readCallback } from 'node:fs';
import { basename } from 'node:path';
import { errorMessage, SourceError } from '../core/errors.js';
import { calculateRetryDelay } from '../core/retry-delay.js';
import { createPendingFiles, findRotatedBetween, findTruncatedCopy, readHead } from './filelog-files.js';
import { openRegularFile, sameFile } from './filelog-open.js';
import type { OpenedFile } from './filelog-open.js';
import { createFileWaker } from './filelog-wake.js';
import type { FileWaker, WatchFn } from './filelog-wake.js';
import { createBatchLineFilter } from './line-filter.js';
import { createLineParser } from './line-parser.js';
import { createLineSplitter } from './line-splitter.js';
import { createUtf8Decoder } from './utf8-decoder.js';
import type { LogLine, LogSource, SourceConfig, SourceDeps, SourceHealth } from './log-source.js';

/**
 * Bytes per read. Each async read costs a thread-pool round trip whose fixed part is large on VMs
 * (measured here: 62–160 µs of main-thread time per `FileHandle.read`, against 5 µs for the copy),
 * so a backlog is read 1 MiB at a time; a tail read returns only what was appended.
 */
const CHUNK_BYTES = 1024 * 1024;
/**
 * Bytes decoded into one string, and so one batch. A string over V8's regular object size
 * (~128 KiB) lives in large-object space, which only a full GC frees: decoding whole 1 MiB reads
 * raised the agent's peak RSS under a 1,000,000-line burst from 93 to 174 MiB. 64 KiB strings die
 * young.
 */
const DECODE_BYTES = 64 * 1024;
/** Bytes at the start of a file that identify it: a truncated file that regrew starts differently. */
export const HEAD_BYTES = 1024;

/** `read(2)` at `position`, through the thread pool. */
function readAt(fd: number, buf: Buffer, position: number): Promise<number> {
  return new Promise((resolve, reject) => readCallback(fd, buf, 0, buf.length, position, (err, n) => (err ? reject(err) : resolve(n))));
}

/** The file being read. */
interface Reading extends OpenedFile {
  offset: number;
  /** Its first bytes as last seen (up to HEAD_BYTES). */
  head: Buffer;
  /** The largest size it is known to have had. */
  known: number;
}

/** A read started ahead of need, for the chunk at `at` of `h`. */
interface PendingRead {
  readonly fd: number;
  readonly at: number;
  readonly buf: Buffer;
  /** Bytes read, or the error (caught at once, so a read nobody awaits cannot go unhandled). */
  readonly done: Promise<number | { error: unknown }>;
}

/** Options of {@link createFilelogSource}. */
export interface FilelogSourceOptions {
  /**
   * Longest wait at the end of the file before looking again (NPD: 500 ms). A change seen by the
   * directory watch ends the wait early; the poll is the fallback when inotify is unavailable.
   * @default 500
   */
  readonly pollMs?: number;
  /** `fs.watch` replacement for tests; `false` disables the early wake (poll only). @default fs.watch */
  readonly watch?: WatchFn | false;
  /** Longest line kept, in characters; the rest of a longer line is dropped. @default 262144 */
  readonly maxLineChars?: number;
  /** IANA zone for timestamps without an offset. @default the process's local zone */
  readonly timeZone?: string;
}

/**
 * Creates the filelog source. Throws ConfigError for a bad `pluginConfig` (see createLineParser).
 * @example createFilelogSource({ plugin: 'filelog', logPath: '/var/log/kern.log', pluginConfig: {…}, … }, deps)
 */
export function createFilelogSource(config: SourceConfig, deps: SourceDeps, options: FilelogSourceOptions = {}): LogSource {
  const path = config.logPath;
  const pollMs = options.pollMs ?? 500;
  const max = options.maxLineChars ?? 256 * 1024;
  const random = deps.random ?? Math.random;
  const log = deps.logger;
  const telemetry = deps.telemetry;
  // "Now" is read once per batch: the lines of one read arrive within microseconds.
  let nowMs = deps.clock.now();
  const parse = createLineParser(config.pluginConfig, {
    file: config.file,
    nowMs,
    now: () => nowMs,
    ...(options.timeZone ? { timeZone: options.timeZone } : {}),
  });
  let health: SourceHealth = { alive: true, detail: `starting ${path}`, restarts: 0 };

  async function* batches(signal: AbortSignal): AsyncGenerator<readonly LogLine[]> {
    const filter = createBatchLineFilter(config, deps);
    const pending = createPendingFiles(path, log, () => telemetry.fileSkip(config.source, 'too-many-files'));
    const name = basename(path);
    const onEvent = (event: string, file: string | null): void => {
      if (file !== null && file !== name) return;
      // A rename (inotify create, delete, moved from/to) of the name: a new file may be there.
      if (event === 'rename') pending.discover();
      // Written to: how much is unread, so a truncation before it is read knows it lost lines.
      else if (cur && cur.known <= cur.offset) cur.known = Math.max(cur.known, fstatSync(cur.fd).size);
    };
    const waker: FileWaker = options.watch === false
      ? { wait: (ms, sig) => deps.clock.sleep(ms, sig), start: () => {}, close: () => {} }
      : createFileWaker(path, deps.clock, log, options.watch, onEvent);
    // Two buffers: the next chunk is read while the last one is parsed.
    // Only [0, bytesRead) of a buffer is used: no zeroing, and pages are touched only as reads fill them.
    const bufs = [Buffer.allocUnsafe(CHUNK_BYTES), Buffer.allocUnsafe(CHUNK_BYTES)] as const;
    let spare = 0;
    let ahead: PendingRead | undefined;
    const splitter = createLineSplitter(max, () => log.warn('line too long, cut', { path, maxChars: max }));
    let cur: Reading | undefined;
    let decoder = createUtf8Decoder();
    let attempt = 0;
    let waitingLogged = false;
    // After an error, the same file is resumed where it was left.
    let resume: { dev: number; ino: number; offset: number; head: Buffer } | undefined;

    const emit = (texts: readonly string[]): LogLine[] => {
      const out: LogLine[] = [];
      nowMs = deps.clock.now();
      for (const t of texts) {
        const line = filter.pass(parse(t));
        if (line) out.push(line);
      }
      filter.flush();
      return out;
    };
    /** The lines of a chunk, decoded 64 KiB at a time (see DECODE_BYTES), one batch each. */
    function* batchesOf(chunk: Buffer): Generator<readonly LogLine[]> {
      for (let at = 0; at < chunk.length; at += DECODE_BYTES) {
        const batch = emit(splitter.push(decoder.write(chunk.subarray(at, at + DECODE_BYTES))));
        if (batch.length > 0) yield batch;
      }
    }
    /** The last line of a file that ended without a newline; the decoder starts afresh. */
    function* endOfFile(): Generator<readonly LogLine[]> {
      const last = splitter.takePartial() + decoder.end();
      decoder = createUtf8Decoder();
      const batch = last === '' ? [] : emit([last]);
      if (batch.length > 0) yield batch;
    }
    const startRead = (fd: number, at: number): PendingRead => {
      const buf = spare === 0 ? bufs[0] : bufs[1];
      spare ^= 1;
      const done = readAt(fd, buf, at).catch((error: unknown) => ({ error }));
      return { fd, at, buf, done };
    };
    /** Waits for a read nobody will use, so its buffer is free and its fd can be closed. */
    const dropAhead = async (): Promise<void> => {
      const r = ahead;
      ahead = undefined;
      await r?.done;
    };
    /** The bytes of `fd` at `at` (empty at the end). */
    const readPlain = async (fd: number, at: number): Promise<Buffer> => {
      const r = ahead && ahead.fd === fd && ahead.at === at ? ahead : startRead(fd, at);
      if (r !== ahead) await dropAhead();
      ahead = undefined;
      const n = await r.done;
      if (typeof n !== 'number') throw n.error;
      return r.buf.subarray(0, n);
    };
    /**
     * The next chunk of `f` (empty at the end of the file), `offset` moved past it; 'truncated' if
     * the file's first bytes changed, so the chunk may come from a new content (discarded).
     */
    const readChunk = async (f: Reading): Promise<Buffer | 'truncated'> => {
      const chunk = await readPlain(f.fd, f.offset);
      // Also at the end: a file truncated and refilled to exactly the offset reads as "nothing new".
      const head = readHead(f.fd, HEAD_BYTES);
      if (head.length < f.head.length || !head.subarray(0, f.head.length).equals(f.head)) return 'truncated';
      if (chunk.length === 0) return chunk;
      f.head = head;
      f.offset += chunk.length;
      // The size now, so a truncation before the rest is read knows it lost lines.
      f.known = Math.max(f.known, chunk.length === CHUNK_BYTES ? fstatSync(f.fd).size : f.offset);
      return chunk;
    };
    // The first bytes of the files (and truncated generations) read: a rotated file starting with
    // one of them is a copy of something read (copytruncate), not a file that was never opened.
    const seenHeads: Buffer[] = [];
    const remember = (head: Buffer): void => {
      if (head.length > 0) seenHeads.push(head);
      if (seenHeads.length > 64) seenHeads.shift();
    };
    const unseen = (files: OpenedFile[]): OpenedFile[] => files.filter((c) => {
      const head = readHead(c.fd, HEAD_BYTES);
      const known = head.length === 0 || seenHeads.some((h) => h.subarray(0, head.length).equals(head.subarray(0, h.length)));
      if (known) closeSync(c.fd);
      return !known;
    });
    /** The lines of `file` from `from` to its end; returns the bytes read. */
    async function* readRest(file: OpenedFile, from: number): AsyncGenerator<readonly LogLine[], number> {
      let at = from;
      for (let rest = await readPlain(file.fd, at); rest.length > 0; rest = await readPlain(file.fd, at)) {
        at += rest.length;
        yield* batchesOf(rest);
      }
      await dropAhead();
      return at - from;
    }
    /** copytruncate: what was not read yet comes from the copy, then the file is read from 0. */
    async function* truncated(f: Reading): AsyncGenerator<readonly LogLine[]> {
      await dropAhead();
      const from = f.offset;
      const copy = findTruncatedCopy(path, f.head, f);
      let recovered = 0;
      if (copy) {
        // Then the copies of generations truncated since, whole (truncations faster than the
        // reader), but not a copy of what the file holds now (copied, not yet truncated).
        const now = readHead(f.fd, HEAD_BYTES);
        remember(f.head);
        const later = unseen(findRotatedBetween(path, copy.birthMs, Infinity, (c) => sameFile(c, f) || sameFile(c, copy)));
        try {
          recovered += yield* readRest(copy, from);
          for (const c of later) {
            const head = readHead(c.fd, now.length);
            if (now.length > 0 && head.equals(now)) break;
            yield* endOfFile();
            remember(readHead(c.fd, HEAD_BYTES));
            recovered += yield* readRest(c, 0);
            telemetry.fileRotation(config.source, 'truncated');
          }
        } finally {
          for (const c of [copy, ...later]) closeSync(c.fd);
        }
      } else {
        splitter.takePartial(); // a line cut by the loss: its rest is gone
        if (f.known > from) {
          telemetry.fileSkip(config.source, 'truncated');
          log.warn('log file truncated before it was read to the end and no rotated copy starts like it: the rest is lost', { path, offset: from, unreadBytes: f.known - from });
        }
      }
      yield* endOfFile();
      telemetry.fileRotation(config.source, 'truncated');
      log.info('log file truncated, reading from the start', { path, offset: from, recoveredBytes: recovered });
      f.offset = 0;
      f.head = Buffer.alloc(0);
      f.known = 0;
    }
    const closeCurrent = (): void => {
      if (!cur) return;
      closeSync(cur.fd);
      cur = undefined;
      pending.setCurrent(undefined);
    };

    try {
      while (!signal.aborted) {
        try {
          if (!cur) {
            const next = pending.take() ?? openRegularFile(path);
            if (!next) {
              health = { ...health, alive: false, detail: `waiting for ${path} to appear` };
              if (!waitingLogged) log.info('log file missing, waiting for it', { path });
              waitingLogged = true;
              waker.start();
              await waker.wait(pollMs, signal);
              continue;
            }
            cur = { ...next, offset: 0, head: Buffer.alloc(0), known: next.size };
            if (resume && sameFile(resume, cur) && resume.offset <= cur.size) {
              cur.offset = resume.offset; // the decoder and splitter still hold the bytes before it
              cur.head = resume.head;
            } else {
              decoder = createUtf8Decoder();
              splitter.takePartial();
            }
            resume = undefined;
            pending.setCurrent(cur);
            waker.start();
            waitingLogged = false;
            health = { ...health, alive: true, detail: `reading ${path}` };
          }
          const chunk = await readChunk(cur);
          if (chunk === 'truncated') {
            yield* truncated(cur);
            continue;
          }
          if (chunk.length > 0) {
            attempt = 0;
            // A full chunk: more is probably there; start reading it before parsing this one.
            if (chunk.length === CHUNK_BYTES) ahead = startRead(cur.fd, cur.offset);
            yield* batchesOf(chunk);
            continue;
          }
          const size = fstatSync(cur.fd).size;
          cur.known = Math.max(cur.known, size);
          if (size < cur.offset) {
            yield* truncated(cur);
            continue;
          }
          pending.discover(); // without inotify, or if an event was missed
          if (pending.size > 0) {
            // A newer file is at the path: the writer may still have appended to this one.
            for (let rest = await readChunk(cur); rest !== 'truncated' && rest.length > 0; rest = await readChunk(cur)) yield* batchesOf(rest);
            yield* endOfFile();
            telemetry.fileRotation(config.source, 'renamed');
            // Files created between this one and the next that were rotated away before they
            // could be opened (a storm faster than the event loop): read under their new names.
            remember(cur.head);
            const now = cur;
            const missed = unseen(findRotatedBetween(path, cur.birthMs, pending.peek()?.birthMs ?? 0, (f) => sameFile(f, now) || pending.holds(f)));
            if (missed.length > 0) log.info('log files rotated away before they were opened, reading them under their new names', { path, files: missed.length });
            pending.putFirst(missed);
            log.info('log file rotated, reading the next one', { path, waiting: pending.size });
            closeCurrent();
            continue;
          }
          await waker.wait(pollMs, signal);
        } catch (err) {
          if (signal.aborted) return;
          await dropAhead();
          if (cur) resume = { dev: cur.dev, ino: cur.ino, offset: cur.offset, head: cur.head };
          closeCurrent();
          attempt++;
          const delay = calculateRetryDelay({ attempt, baseMs: 100, maxMs: 30_000, random });
          const why = err instanceof SourceError ? err.message : `${path}: ${errorMessage(err)}`;
          health = { alive: false, detail: `${why}; reopening in ${delay}ms`, restarts: health.restarts + 1 };
          telemetry.sourceRestart(config.source);
          log.warn(err instanceof SourceError ? 'log file refused, retrying' : 'log file read failed, reopening', { path, error: errorMessage(err), delayMs: delay });
          try {
            await deps.clock.sleep(delay, signal);
          } catch {
            return;
          }
        }
      }
    } finally {
      waker.close();
      await dropAhead();
      closeCurrent();
      pending.close();
    }
  }

  async function* lines(signal: AbortSignal): AsyncGenerator<LogLine> {
    for await (const batch of batches(signal)) yield* batch;
  }

  return { lines, batches, health: () => health };
}
