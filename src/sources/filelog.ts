/**
 * The `filelog` source: follows a text file like `tail -F`, through an fd of its own. At the end of
 * the file it compares the path's inode and size with what it reads: a new inode means the file was
 * renamed (the rest of the old file is read first), a smaller size means copytruncate. It waits for
 * a missing file, reopens with backoff after errors and resumes at the same offset, so it neither
 * loses nor repeats a line. NPD's filelog has no copytruncate handling and reopens at offset 0.
 * Waits at the end of the file end early on an inotify event for the file (see filelog-wake.ts).
 * Reads up to 1 MiB at a time, starting the next read while a chunk is parsed; `batches()` yields
 * the lines of each 64 KiB of it as one array (`lines()` is built on it).
 */
import { open, stat } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { errorMessage } from '../core/errors.js';
import { calculateRetryDelay } from '../core/retry-delay.js';
import { createFileWaker } from './filelog-wake.js';
import type { WatchFn } from './filelog-wake.js';
import { createBatchLineFilter } from './line-filter.js';
import { createLineParser } from './line-parser.js';
import { createUtf8Decoder } from './utf8-decoder.js';
import type { LogLine, LogSource, SourceConfig, SourceDeps } from './log-source.js';
import { createSourceState, WAITING_RETRY } from './source-state.js';

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

/** A read started ahead of need, for the chunk at `at` of `h`. */
interface PendingRead {
  readonly h: FileHandle;
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

/** Splits decoded text into lines, cutting a line longer than `max` (the rest up to `\n` is dropped). */
export function createLineSplitter(max: number, onCut: () => void): { push(text: string): string[]; takePartial(): string } {
  let partial = '';
  let cutting = false;
  return {
    push(text) {
      const out: string[] = [];
      let start = 0;
      for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
        if (cutting) cutting = false;
        else {
          const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl; // CRLF
          let line = partial === '' ? text.slice(start, end) : partial + text.slice(start, nl);
          if (partial !== '' && line.endsWith('\r')) line = line.slice(0, -1);
          if (line.length > max) {
            line = line.slice(0, max);
            onCut();
          }
          out.push(line);
        }
        partial = '';
        start = nl + 1;
      }
      if (!cutting) {
        partial += text.slice(start);
        if (partial.length > max) {
          out.push(partial.slice(0, max));
          partial = '';
          cutting = true;
          onCut();
        }
      }
      return out;
    },
    takePartial() {
      const p = partial;
      partial = '';
      cutting = false;
      return p;
    },
  };
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
  // "Now" is read once per batch: the lines of one read arrive within microseconds.
  let nowMs = deps.clock.now();
  const parse = createLineParser(config.pluginConfig, {
    file: config.file,
    nowMs,
    now: () => nowMs,
    ...(options.timeZone ? { timeZone: options.timeZone } : {}),
  });
  const state = createSourceState(config.source, path, deps);

  async function* batches(signal: AbortSignal): AsyncGenerator<readonly LogLine[]> {
    const filter = createBatchLineFilter(config, deps);
    const waker = options.watch === false
      ? { wait: (ms: number, sig: AbortSignal) => deps.clock.sleep(ms, sig), close: () => {} }
      : createFileWaker(path, deps.clock, log, options.watch);
    // Two buffers: the next chunk is read while the last one is parsed.
    // Only [0, bytesRead) of a buffer is used: no zeroing, and pages are touched only as reads fill them.
    const bufs = [Buffer.allocUnsafe(CHUNK_BYTES), Buffer.allocUnsafe(CHUNK_BYTES)] as const;
    let spare = 0;
    let ahead: PendingRead | undefined;
    const splitter = createLineSplitter(max, () => log.warn('line too long, cut', { path, maxChars: max }));
    let fh: FileHandle | undefined;
    let ino = -1;
    let offset = 0;
    let decoder = createUtf8Decoder();
    let attempt = 0;
    let waits = 0;
    // After an error, the same file is resumed where it was left.
    let resume: { ino: number; offset: number } | undefined;

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
    const startRead = (h: FileHandle): PendingRead => {
      const buf = spare === 0 ? bufs[0] : bufs[1];
      spare ^= 1;
      const done = h.read(buf, 0, buf.length, offset).then((r) => r.bytesRead, (error: unknown) => ({ error }));
      return { h, at: offset, buf, done };
    };
    /** The next chunk at `offset` (empty at the end of the file); `offset` moves past it. */
    const readChunk = async (h: FileHandle): Promise<Buffer> => {
      const r = ahead && ahead.h === h && ahead.at === offset ? ahead : startRead(h);
      ahead = undefined;
      const n = await r.done;
      if (typeof n !== 'number') throw n.error;
      offset += n;
      return r.buf.subarray(0, n);
    };

    try {
      while (!signal.aborted) {
        try {
          if (!fh) {
            try {
              fh = await open(path, 'r');
            } catch (err) {
              if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
              // Absent (no docker.log on a containerd node): look less and less often; the directory
              // watch still wakes the loop when the file is created.
              const delay = calculateRetryDelay({ attempt: ++waits, baseMs: pollMs, maxMs: WAITING_RETRY.maxMs, random });
              state.waiting(`waiting for ${path} to appear; looking again in ${delay}ms`);
              await waker.wait(delay, signal);
              continue;
            }
            const st = await fh.stat();
            ino = st.ino;
            if (resume && resume.ino === ino && resume.offset <= st.size) {
              offset = resume.offset; // the decoder and splitter still hold the bytes before it
            } else {
              offset = 0;
              decoder = createUtf8Decoder();
              splitter.takePartial();
            }
            resume = undefined;
            waits = 0;
          }
          const chunk = await readChunk(fh);
          // Up once a read has worked: open() succeeds on a directory, read() does not.
          if (state.health().state !== 'up') state.up(`reading ${path}`);
          if (chunk.length > 0) {
            attempt = 0;
            // A full chunk: more is probably there; start reading it before parsing this one.
            if (chunk.length === CHUNK_BYTES) ahead = startRead(fh);
            yield* batchesOf(chunk);
            continue;
          }
          const st = await stat(path).catch((err: NodeJS.ErrnoException) => {
            if (err.code === 'ENOENT') return undefined;
            throw err;
          });
          if (st && st.ino !== ino) {
            // Renamed away and recreated: the writer may still have appended to the old file.
            for (let rest = await readChunk(fh); rest.length > 0; rest = await readChunk(fh)) yield* batchesOf(rest);
            const last = splitter.takePartial() + decoder.end();
            const batch = last === '' ? [] : emit([last]);
            if (batch.length > 0) yield batch;
            log.info('log file rotated, reopening', { path });
            await fh.close();
            fh = undefined;
            continue;
          }
          if (st && st.size < offset) {
            // copytruncate: the copy took what we had not read yet only if we were behind.
            log.info('log file truncated, reading from the start', { path, offset, size: st.size });
            offset = 0;
            decoder = createUtf8Decoder();
            splitter.takePartial();
            continue;
          }
          await waker.wait(pollMs, signal);
        } catch (err) {
          if (signal.aborted) return;
          ahead = undefined;
          if (fh) resume = { ino, offset };
          await fh?.close().catch(() => {});
          fh = undefined;
          attempt++;
          const delay = calculateRetryDelay({ attempt, baseMs: 100, maxMs: 30_000, random });
          state.failing(`${path}: ${errorMessage(err)}; reopening in ${delay}ms`);
          try {
            await deps.clock.sleep(delay, signal);
          } catch {
            return;
          }
        }
      }
    } finally {
      waker.close();
      await fh?.close().catch(() => {});
    }
  }

  async function* lines(signal: AbortSignal): AsyncGenerator<LogLine> {
    for await (const batch of batches(signal)) yield* batch;
  }

  return { lines, batches, health: () => state.health() };
}
