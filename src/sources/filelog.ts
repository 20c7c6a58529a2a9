/**
 * The `filelog` source: follows a text file like `tail -F`, through an fd of its own, and only a
 * regular file (a FIFO, a device or a directory at the path is refused, see filelog-open.ts).
 * Rotation in every style loses nothing the reader could still reach:
 * - rename or delete + recreate: inotify on the directory reports the new file and it is opened at
 *   once and held until the old one is read to its end (filelog-files.ts), so a storm of rotations
 *   is read file by file, in creation order; files rotated away before they could be opened are
 *   read under their rotated names, and files deleted before that are counted from the name's
 *   inotify events. Without inotify, the path's inode is compared at the end of the file.
 * - copytruncate: the file's first bytes tell a truncation, and the unread rest comes from the
 *   rotated copy (filelog-truncation.ts).
 * Each rotation is counted (`npd_source_file_rotations_total`), each known loss logged and counted
 * (`npd_source_file_skips_total`). It waits for a missing file, reopens with backoff after errors
 * and resumes at the same offset. NPD's filelog has no copytruncate handling and reopens at 0.
 * Reads up to 1 MiB at a time, at most one read ahead of the consumer (the generator reads only
 * when pulled; filelog-chunks.ts), and `batches()` yields the lines of each 64 KiB of it as one
 * array. While lines keep coming, reads are coalesced (see `coalesceMs`).
 */
import { closeSync, fstatSync } from 'node:fs';
import { basename } from 'node:path';
import { errorMessage, SourceError } from '../core/errors.js';
import { calculateRetryDelay } from '../core/retry-delay.js';
import { CHUNK_BYTES, createChunkReader } from './filelog-chunks.js';
import type { ReadAt } from './filelog-chunks.js';
import { createPendingFiles, findRotatedBetween, readHead } from './filelog-files.js';
import { openRegularFile, sameFile } from './filelog-open.js';
import { createTruncationRecovery, HEAD_BYTES } from './filelog-truncation.js';
import type { Reading } from './filelog-truncation.js';
import { createFileWaker } from './filelog-wake.js';
import type { FileWaker, WatchFn } from './filelog-wake.js';
import { createBatchLineFilter } from './line-filter.js';
import { createLineReaders } from './line-parser.js';
import { createLineEmitter } from './filelog-emit.js';
import { createRangeDescriber } from './line-describe.js';
import type { LineRanges } from './line-splitter.js';
import type { LineInterest, LogLine, LogSource, SourceConfig, SourceDeps } from './log-source.js';
import { createSourceState, WAITING_RETRY } from './source-state.js';

/** Bytes found by one tail read that make it a flood (see `coalesceMs`): 30–40 kernel lines. */
const FLOOD_BYTES = 4096;

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
  /**
   * In a flood (a read found 4 KiB or more less than twice this after the one before, or any lines
   * less than a fifth of it after), the next read waits until this long after the last one and
   * takes all that came meanwhile: a writer appending every few ms costs ten reads a second, not one
   * per append. A line after a quiet spell, or a few lines a second, are read as soon as inotify
   * reports them.
   * @default 100
   */
  readonly coalesceMs?: number;
  /** `read(2)` at an offset, replaceable in tests (a read error). @default a thread-pool `fs.read` */
  readonly readAt?: ReadAt;
}

/**
 * Creates the filelog source. Throws ConfigError for a bad `pluginConfig` (see createLineParser).
 * @example createFilelogSource({ plugin: 'filelog', logPath: '/var/log/kern.log', pluginConfig: {…}, … }, deps)
 */
export function createFilelogSource(config: SourceConfig, deps: SourceDeps, options: FilelogSourceOptions = {}): LogSource {
  const path = config.logPath;
  const pollMs = options.pollMs ?? 500;
  const coalesceMs = options.coalesceMs ?? 100;
  const max = options.maxLineChars ?? 256 * 1024;
  const random = deps.random ?? Math.random;
  const log = deps.logger;
  const telemetry = deps.telemetry;
  // "Now" is read once per batch: the lines of one read arrive within microseconds.
  let nowMs = deps.clock.now();
  const parserOptions = { file: config.file, nowMs, now: () => nowMs, ...(options.timeZone ? { timeZone: options.timeZone } : {}) };
  const { parse, describe } = createLineReaders(config.pluginConfig, parserOptions);
  const describeAt = createRangeDescriber(config.pluginConfig, parserOptions, describe);
  const state = createSourceState(config.source, path, deps);

  async function* batches(signal: AbortSignal, interest?: LineInterest): AsyncGenerator<readonly LogLine[]> {
    const filter = createBatchLineFilter(config, deps);
    const pending = createPendingFiles(path, log, () => telemetry.fileSkip(config.source, 'too-many-files'));
    const name = basename(path);
    let cur: Reading | undefined;
    const onEvent = (event: string, file: string | null): void => {
      if (file !== null && file !== name) return;
      // A rename (inotify create, delete, moved from/to) of the name: a new file may be there.
      if (event === 'rename') pending.nameChanged();
      // Written to: how much is unread, so a truncation before it is read knows it lost lines.
      else if (cur && cur.known <= cur.offset) cur.known = Math.max(cur.known, fstatSync(cur.fd).size);
    };
    const waker: FileWaker = options.watch === false
      ? { wait: (ms, sig) => deps.clock.sleep(ms, sig), start: () => {}, close: () => {} }
      : createFileWaker(path, deps.clock, log, options.watch, onEvent);
    const emitLines = createLineEmitter(parse, describeAt, filter, interest);
    const emit = (lines: LineRanges): readonly LogLine[] | undefined => {
      nowMs = deps.clock.now();
      return emitLines(lines);
    };
    const reader = createChunkReader(emit, max, () => log.warn('line too long, cut', { path, maxChars: max }), options.readAt);
    const truncation = createTruncationRecovery(reader, {
      path,
      log,
      rotation: (style) => telemetry.fileRotation(config.source, style),
      skip: (reason) => telemetry.fileSkip(config.source, reason),
    });
    let attempt = 0;
    let waits = 0;
    // When the last tail read that found lines was made, and whether lines are flooding in (see coalesceMs).
    let lastTail = -Infinity;
    let flooding = false;
    // After an error, the same file is resumed where it was left.
    let resume: { dev: number; ino: number; offset: number; head: Buffer } | undefined;

    /**
     * The next chunk of `f` (empty at the end of the file), `offset` moved past it; 'truncated' if
     * the file's first bytes changed, so the chunk may come from a new content (discarded).
     */
    const readChunk = async (f: Reading): Promise<Buffer | 'truncated'> => {
      const chunk = await reader.read(f.fd, f.offset);
      // Also at the end: a file truncated and refilled to exactly the offset reads as "nothing new".
      const head = readHead(f.fd, HEAD_BYTES);
      if (truncation.changed(f, head)) return 'truncated';
      if (chunk.length === 0) return chunk;
      f.head = head;
      f.offset += chunk.length;
      // The size now, so a truncation before the rest is read knows it lost lines.
      f.known = Math.max(f.known, chunk.length === CHUNK_BYTES ? fstatSync(f.fd).size : f.offset);
      return chunk;
    };
    const closeCurrent = (): void => {
      if (!cur) return;
      closeSync(cur.fd);
      cur = undefined;
      pending.setCurrent(undefined);
    };
    /** The path holds a newer file: the rest of this one, then files rotated away before they were opened. */
    async function* switchFile(f: Reading): AsyncGenerator<readonly LogLine[]> {
      // The writer may still have appended to this one.
      for (let rest = await readChunk(f); rest !== 'truncated' && rest.length > 0; rest = await readChunk(f)) yield* reader.batchesOf(rest);
      yield* reader.endOfFile();
      telemetry.fileRotation(config.source, 'renamed');
      // Files created between this one and the next that were rotated away before they could be
      // opened (a storm faster than the event loop): read under their new names.
      truncation.remember(f.head);
      const found = findRotatedBetween(path, f.birthMs, pending.peek()?.birthMs ?? 0, (c) => sameFile(c, f) || pending.holds(c));
      const missed = truncation.unseen(found);
      if (missed.length > 0) log.info('log files rotated away before they were opened, reading them under their new names', { path, files: missed.length });
      pending.putFirst(missed, found.length);
      const lost = pending.unopened(fstatSync(f.fd).nlink === 0);
      if (lost > 0) {
        for (let i = 0; i < lost; i++) telemetry.fileSkip(config.source, 'unopened');
        log.warn('log files created and removed before they could be opened: their lines are lost', { path, files: lost });
      }
      log.info('log file rotated, reading the next one', { path, waiting: pending.size });
      closeCurrent();
    }

    try {
      while (!signal.aborted) {
        try {
          if (!cur) {
            const next = pending.take() ?? openRegularFile(path);
            if (!next) {
              // Absent (no docker.log on a containerd node): look less and less often; the directory
              // watch still wakes the loop when the file is created.
              const delay = calculateRetryDelay({ attempt: ++waits, baseMs: pollMs, maxMs: WAITING_RETRY.maxMs, random });
              state.waiting(`waiting for ${path} to appear; looking again in ${delay}ms`);
              await waker.wait(delay, signal); // watches the directory from now on
              continue;
            }
            cur = { ...next, offset: 0, head: Buffer.alloc(0), known: next.size, copiedAfter: 0 };
            if (resume && sameFile(resume, cur)) {
              // The reader still holds the bytes before the offset. A file truncated meanwhile is
              // seen at the first read, by its head or size, and its rest looked for in a copy.
              cur.offset = resume.offset;
              cur.head = resume.head;
            } else reader.reset();
            resume = undefined;
            pending.setCurrent(next);
            waker.start();
            waits = 0;
          }
          const chunk = await readChunk(cur);
          // Up once a read has worked.
          if (state.health().state !== 'up') state.up(`reading ${path}`);
          if (chunk === 'truncated') {
            yield* truncation.recover(cur);
            continue;
          }
          if (chunk.length === CHUNK_BYTES) {
            attempt = 0;
            // A full chunk: more is probably there; start reading it before parsing this one.
            reader.readAhead(cur.fd, cur.offset);
            yield* reader.batchesOf(chunk);
            continue;
          }
          if (chunk.length > 0) {
            attempt = 0;
            const at = deps.clock.now();
            const gap = at - lastTail;
            lastTail = at;
            flooding = gap < 2 * coalesceMs && (chunk.length >= FLOOD_BYTES || gap < coalesceMs / 5);
            yield* reader.batchesOf(chunk);
          }
          // A short read reached the end of the file as it was then.
          const size = fstatSync(cur.fd).size;
          cur.known = Math.max(cur.known, size);
          if (size < cur.offset) {
            yield* truncation.recover(cur);
            continue;
          }
          pending.discover(); // without inotify, or if an event was missed
          if (pending.size > 0) {
            yield* switchFile(cur);
            continue;
          }
          // A flood: read again only after coalesceMs, and then all that came meanwhile.
          const pause = flooding ? lastTail + coalesceMs - deps.clock.now() : 0;
          if (pause > 0) await deps.clock.sleep(pause, signal);
          else if (size === cur.offset) await waker.wait(pollMs, signal);
        } catch (err) {
          if (signal.aborted) return;
          await reader.dropAhead();
          if (cur) resume = { dev: cur.dev, ino: cur.ino, offset: cur.offset, head: cur.head };
          closeCurrent();
          attempt++;
          const delay = calculateRetryDelay({ attempt, baseMs: 100, maxMs: 30_000, random });
          const why = err instanceof SourceError ? err.message : `${path}: ${errorMessage(err)}`;
          state.failing(`${why}; reopening in ${delay}ms`);
          try {
            await deps.clock.sleep(delay, signal);
          } catch {
            return;
          }
        }
      }
    } finally {
      waker.close();
      await reader.dropAhead();
      closeCurrent();
      pending.close();
    }
  }

  async function* lines(signal: AbortSignal): AsyncGenerator<LogLine> {
    for await (const batch of batches(signal)) yield* batch;
  }

  return { lines, batches, health: () => state.health() };
}
