/**
 * The `kmsg` source: kernel records from `/dev/kmsg` (or a file/FIFO of records, for tests).
 * The device is opened O_NONBLOCK, so a read never waits: it returns one record or EAGAIN. Reads
 * are therefore synchronous (a syscall of a few µs, no libuv worker held, no threadpool round trip
 * per record) and drained into batches: every record ready is read, up to a bounded batch, then
 * yielded as one array, and after a full batch the event loop gets a turn before the next. When
 * nothing is ready (EAGAIN) the source waits on libuv's epoll for the fd to become readable
 * (fd-readable.ts): an idle reader costs no wake-ups (it polled every 50 ms before: 20 a second
 * per reader). In a flood the next drain waits a little, bounded by the kernel's ring (kmsg-pace.ts),
 * and takes all that came meanwhile. A regular file (tests) cannot be polled and is looked at again
 * every `pollMs`. Lost records (ring overwrite, EPIPE) are counted from the sequence gap. After a read error it reopens with backoff and skips what it has already seen, so
 * nothing is lost or repeated (NPD seeks to the end instead, losing the gap).
 */
import { closeSync, constants, fstat, open as openFd, readSync, type Stats } from 'node:fs';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { StringDecoder } from 'node:string_decoder';
import { errorMessage } from '../core/errors.js';
import { calculateRetryDelay } from '../core/retry-delay.js';
import { createKmsgPacer } from './kmsg-pace.js';
import { parseKmsgHead } from './kmsg-parser.js';
import { createKmsgSelector } from './kmsg-select.js';
import { createFdWaiter } from './fd-readable.js';
import { createBatchLineFilter } from './line-filter.js';
import type { LineInterest, LogLine, LogSource, SourceConfig, SourceDeps } from './log-source.js';
import { createSourceState, WAITING_RETRY } from './source-state.js';

/** An open kmsg device or file. */
export interface KmsgHandle {
  /** Reads without waiting: bytes read (0 at the end of a file), or throws EAGAIN when nothing is ready. */
  read(buffer: Buffer): number;
  stat(): Promise<{ isCharacterDevice(): boolean }>;
  /**
   * Resolves once a read would return data, with the bytes of the read that found it (empty at the
   * end of a FIFO whose writers left); absent when the handle cannot be polled (a regular file).
   */
  readonly readable?: (signal: AbortSignal) => Promise<Buffer>;
  close(): Promise<void>;
}

/** Options of {@link createKmsgSource}. */
export interface KmsgSourceOptions {
  /** Wait at the end of a regular file, or before reopening a FIFO whose writers left. @default 50 */
  readonly pollMs?: number;
  /** Opens the log path. @default fs.promises.open with O_RDONLY | O_NONBLOCK */
  readonly open?: (path: string) => Promise<KmsgHandle>;
  /**
   * Longest wait between drains in a flood, further bounded by the kernel's ring (kmsg-pace.ts); 0:
   * none. 30 ms: on the real device a 10,000 records/s flood fills the ring (about 2,500 records
   * of 128 KiB) in 250 ms, and a drain the scheduler delays by 50 ms or a writer's burst of 1,000
   * records came on top of 100 ms waits and overwrote records (docs/performance.md). @default 30
   */
  readonly coalesceMs?: number;
}

/** Default `logPath`. */
export const DEFAULT_KMSG_PATH = '/dev/kmsg';
/** A record is at most ~8 KiB on the device; a file line longer than this is dropped. */
const MAX_RECORD_CHARS = 256 * 1024;

/** Splits a byte stream of records into whole records (a record's ` KEY=value` lines included). */
export function createKmsgFramer(): { push(text: string): string[]; flush(): string | undefined } {
  let partial = '';
  let discarding = false;
  let current: string | undefined;
  return {
    push(text) {
      const out: string[] = [];
      const pieces = (partial + text).split('\n');
      partial = pieces.pop() ?? '';
      for (const line of pieces) {
        if (discarding) {
          discarding = false;
          continue;
        }
        if (line.startsWith(' ') && current !== undefined) current += `\n${line}`;
        else if (line !== '') {
          if (current !== undefined) out.push(current);
          current = line;
        }
      }
      if (partial.length > MAX_RECORD_CHARS) {
        partial = '';
        discarding = true;
      }
      return out;
    },
    flush() {
      const r = current;
      current = undefined;
      return r;
    },
  };
}

/** `\n`. */
const NEWLINE = 0x0a;
/** Reads per batch at most (one record each on the device), and records per batch at most. */
const MAX_READS = 512;
const MAX_BATCH = 1024;

async function openNonBlocking(path: string): Promise<KmsgHandle> {
  const fd = await new Promise<number>((resolve, reject) => openFd(path, constants.O_RDONLY | constants.O_NONBLOCK, (err, n) => (err ? reject(err) : resolve(n))));
  const st = await new Promise<Stats>((resolve, reject) => fstat(fd, (err, s) => (err ? reject(err) : resolve(s)))).catch((err: unknown) => {
    closeSync(fd);
    throw err;
  });
  // A device or FIFO is waited on with epoll; the waiter then owns the fd and closes it.
  const waiter = st.isCharacterDevice() || st.isFIFO() ? createFdWaiter(fd) : undefined;
  return {
    read: (buffer) => {
      // Every drain ends in EAGAIN, thrown as an Error: without a stack trace it costs a fraction
      // (a kmsg flood wakes the reader ~100 times a second).
      const limit = Error.stackTraceLimit;
      Error.stackTraceLimit = 0;
      try {
        return readSync(fd, buffer, 0, buffer.length, null);
      } finally {
        Error.stackTraceLimit = limit;
      }
    },
    stat: async () => st,
    readable: waiter ? (signal) => waiter.readable(signal) : undefined,
    close: async () => (waiter ? waiter.close() : closeSync(fd)),
  };
}

/**
 * Creates the kmsg source.
 * @example createKmsgSource({ plugin: 'kmsg', logPath: '/dev/kmsg', lookbackMs: 300_000, … }, deps)
 */
export function createKmsgSource(config: SourceConfig, deps: SourceDeps, options: KmsgSourceOptions = {}): LogSource {
  const path = config.logPath || DEFAULT_KMSG_PATH;
  const pollMs = options.pollMs ?? 50;
  const coalesceMs = options.coalesceMs ?? 30;
  const open = options.open ?? openNonBlocking;
  const random = deps.random ?? Math.random;
  const log = deps.logger;
  const state = createSourceState(config.source, path, deps);

  async function* batches(signal: AbortSignal, interest?: LineInterest): AsyncGenerator<readonly LogLine[]> {
    const filter = createBatchLineFilter(config, deps);
    const select = createKmsgSelector(filter, interest, deps.bootTimeMs);
    const buf = Buffer.alloc(16 * 1024);
    const pacer = createKmsgPacer(coalesceMs, (ringChars, wrapped) => log.debug('kmsg ring measured: flood drains wait for at most a quarter of it to fill', { path, ringChars, wrapped }));
    let lastSeq: number | undefined;
    let attempt = 0;
    /** A record read: counted, checked for a gap, and its line (if needed) added to `batch`. */
    const take = (text: string, batch: LogLine[]): void => {
      const rec = parseKmsgHead(text);
      pacer.read(text.length + 1, rec?.seq);
      if (!rec) return void filter.pass(undefined);
      if (lastSeq !== undefined) {
        if (rec.seq <= lastSeq) return; // already seen before a reopen
        if (rec.seq > lastSeq + 1) {
          const lost = rec.seq - lastSeq - 1;
          pacer.lost();
          deps.telemetry.kmsgRecordsLost(config.source, lost);
          log.warn('kmsg records lost (ring buffer overwritten)', { path, lost, seq: rec.seq });
        }
      }
      lastSeq = rec.seq;
      select.take(text, rec, batch);
    };

    while (!signal.aborted) {
      let fh: KmsgHandle | undefined;
      try {
        fh = await open(path);
        const device = (await fh.stat()).isCharacterDevice();
        pacer.opened(device);
        const decoder = new StringDecoder('utf8');
        const framer = createKmsgFramer();
        /** Bytes the wait for readability read, handed out by the next read. */
        let carried: Buffer | undefined;
        const handle = fh;
        const read = (): number => {
          if (carried === undefined) return handle.read(buf);
          const n = carried.copy(buf);
          carried = undefined;
          return n;
        };
        let reopenAfterMs: number | undefined;
        while (!signal.aborted && reopenAfterMs === undefined) {
          const batch: LogLine[] = [];
          select.begin();
          let idle = false;
          let failure: unknown;
          // Records taken, left out or not: bounds the work between two turns of the event loop.
          let taken = 0;
          for (let reads = 0; reads < MAX_READS && taken < MAX_BATCH; reads++) {
            let n = 0;
            try {
              n = read();
            } catch (err) {
              const code = (err as NodeJS.ErrnoException).code;
              // EPIPE: records were overwritten under us; the next read returns the oldest survivor.
              if (code === 'EPIPE' || code === 'EINTR') continue;
              if (code !== 'EAGAIN' && code !== 'EWOULDBLOCK') {
                failure = err; // thrown after the records read so far are yielded
                break;
              }
            }
            if (n > 0) attempt = 0;
            if (device && n > 0) {
              // The device returns one whole record per read, its dictionary lines included (the
              // kernel escapes control and non-ASCII bytes as \xHH): the framer's record is those
              // bytes without the trailing newline, so they are decoded at once, without the
              // decoder and framer a file or FIFO needs (a flood reads the device once per record).
              take(buf.toString('utf8', 0, buf[n - 1] === NEWLINE ? n - 1 : n), batch);
              taken++;
              continue;
            }
            // A file or FIFO may split a record's continuation lines across reads, so there a
            // record ends at the next one or at idle.
            const records = n > 0 ? framer.push(decoder.write(buf.subarray(0, n))) : [];
            if (n === 0) {
              const last = framer.flush();
              if (last !== undefined) records.push(last);
            }
            for (const text of records) take(text, batch);
            taken += records.length;
            if (n === 0) {
              idle = true;
              break;
            }
          }
          const omitted = select.end(batch);
          filter.flush();
          // Up once a read has worked: an open that succeeds on a directory is not a working source.
          if (failure === undefined && state.health().state !== 'up') state.up(`reading ${path}`);
          if (batch.length > 0 || omitted) yield batch; // empty: every record left out, counted by the consumer
          if (failure !== undefined) throw failure;
          const readable = handle.readable;
          // A flood: wait a little and take all that came meanwhile, without waking on each record.
          const pause = idle && readable ? pacer.idle(deps.clock.now()) : 0;
          if (pause > 0) await deps.clock.sleep(pause, signal);
          else if (idle && !readable) await deps.clock.sleep(pollMs, signal);
          else if (idle && readable) {
            const woke = await readable(signal).catch((err: unknown) => {
              // Records were overwritten while waiting: reopen at once (the gap is counted by seq).
              if ((err as NodeJS.ErrnoException).code === 'EPIPE' && !signal.aborted) return undefined;
              throw err;
            });
            if (woke === undefined) reopenAfterMs = 0;
            else if (woke.length === 0) reopenAfterMs = pollMs; // a FIFO whose writers left
            else carried = woke;
          } else await nextTurn(); // a flood: timers and sockets (/healthz, /metrics) run between batches
        }
        await fh.close().catch(() => {});
        fh = undefined;
        if (reopenAfterMs) await deps.clock.sleep(reopenAfterMs, signal);
      } catch (err) {
        if (signal.aborted) return;
        attempt++;
        // No /dev/kmsg on this node (a container without it, a test path not there yet): waiting, not failing.
        const absent = fh === undefined && (err as NodeJS.ErrnoException).code === 'ENOENT';
        const delay = calculateRetryDelay({ attempt, ...(absent ? WAITING_RETRY : { baseMs: 500, maxMs: 30_000 }), random });
        if (absent) state.waiting(`${path} does not exist; looking again in ${delay}ms`);
        else state.failing(`${path}: ${errorMessage(err)}; reopening in ${delay}ms`);
        await fh?.close().catch(() => {});
        fh = undefined;
        try {
          await deps.clock.sleep(delay, signal);
        } catch {
          return;
        }
      } finally {
        await fh?.close().catch(() => {});
      }
    }
  }

  async function* lines(signal: AbortSignal): AsyncGenerator<LogLine> {
    for await (const batch of batches(signal)) yield* batch;
  }

  return { lines, batches, health: () => state.health() };
}
