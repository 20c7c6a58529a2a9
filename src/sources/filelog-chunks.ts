/**
 * The filelog source's byte → line path: reads a file at an offset through the thread pool (1 MiB
 * at most, one read ahead of the consumer at most), decodes 64 KiB at a time and cuts lines. The
 * source (filelog.ts) decides which file and offset; the truncation recovery (filelog-truncation.ts)
 * reads rotated copies through the same reader so the lines keep their order.
 */
import { fstatSync, read as readCallback } from 'node:fs';
import type { OpenedFile } from './filelog-open.js';
import { createLineSplitter, type LineRanges } from './line-splitter.js';
import type { LogLine } from './log-source.js';
import { createUtf8Decoder } from './utf8-decoder.js';

/**
 * Bytes per read. Each async read costs a thread-pool round trip whose fixed part is large on VMs
 * (measured here: 62–160 µs of main-thread time per `FileHandle.read`, against 5 µs for the copy),
 * so a backlog is read 1 MiB at a time; a tail read returns only what was appended.
 */
export const CHUNK_BYTES = 1024 * 1024;
/**
 * Bytes decoded into one string, and so one batch. A string over V8's regular object size
 * (~128 KiB) lives in large-object space, which only a full GC frees: decoding whole 1 MiB reads
 * raised the agent's peak RSS under a 1,000,000-line burst from 93 to 174 MiB. 64 KiB strings die
 * young.
 */
const DECODE_BYTES = 64 * 1024;

/** `read(2)` of `fd` into `buf` at `position`; resolves with the bytes read. */
export type ReadAt = (fd: number, buf: Buffer, position: number) => Promise<number>;
/** {@link ReadAt} through the thread pool. */
const readAtPool: ReadAt = (fd, buf, position) =>
  new Promise((resolve, reject) => readCallback(fd, buf, 0, buf.length, position, (err, n) => (err ? reject(err) : resolve(n))));
const nothing = Buffer.alloc(0);

/** A read started ahead of need, for the chunk at `at` of `fd`. */
interface PendingRead {
  readonly fd: number;
  readonly at: number;
  readonly buf: Buffer;
  /** Bytes read, or the error (caught at once, so a read nobody awaits cannot go unhandled). */
  readonly done: Promise<number | { error: unknown }>;
}

/** Reads files into line batches, keeping a line cut at a chunk's end for the next chunk. */
export interface ChunkReader {
  /** The bytes of `fd` at `at` (empty at the end); valid until the next read. */
  read(fd: number, at: number): Promise<Buffer>;
  /** Starts reading the chunk at `at` of `fd` now, for the next {@link read}. */
  readAhead(fd: number, at: number): void;
  /** Waits for a read nobody will use, so its buffer is free and its fd can be closed. */
  dropAhead(): Promise<void>;
  /** The lines of a chunk, decoded 64 KiB at a time, one batch each (see `emit`). */
  batchesOf(chunk: Buffer): Generator<readonly LogLine[]>;
  /** The same pieces as {@link batchesOf}, as line ranges (each valid until the next is asked for), not through `emit`. */
  rangesOf(chunk: Buffer): Generator<LineRanges>;
  /** The last line of a file that ended without a newline; decoding starts afresh. */
  endOfFile(): Generator<readonly LogLine[]>;
  /** {@link endOfFile} as line ranges: the last line, if the file did not end with a newline. */
  lastLine(): LineRanges | undefined;
  /** The lines of `file` from `from` to its end; returns the bytes read. */
  readRest(file: OpenedFile, from: number): AsyncGenerator<readonly LogLine[], number>;
  /** Forgets a partial line and decoder state (a new file, or bytes lost before them). */
  reset(): void;
}

/**
 * Creates a reader whose lines become batches through `emit` (parse and filter; undefined: no batch,
 * an empty array: an empty batch, lines read and left out). Lines longer than `maxLineChars` are
 * cut, and `onCut` is called. `readAt` is the thread-pool read (replaceable in tests).
 */
export function createChunkReader(emit: (lines: LineRanges) => readonly LogLine[] | undefined, maxLineChars: number, onCut: () => void, readAt: ReadAt = readAtPool): ChunkReader {
  // Two buffers: the next chunk is read while the last one is parsed.
  // Only [0, bytesRead) of a buffer is used: no zeroing, and pages are touched only as reads fill them.
  const bufs = [Buffer.allocUnsafe(CHUNK_BYTES), Buffer.allocUnsafe(CHUNK_BYTES)] as const;
  let spare: 0 | 1 = 0;
  let ahead: PendingRead | undefined;
  const splitter = createLineSplitter(maxLineChars, onCut);
  let decoder = createUtf8Decoder();

  const startRead = (fd: number, at: number): PendingRead => {
    const buf = bufs[spare];
    spare ^= 1;
    const done = readAt(fd, buf, at).catch((error: unknown) => ({ error }));
    return { fd, at, buf, done };
  };
  const dropAhead = async (): Promise<void> => {
    const r = ahead;
    ahead = undefined;
    await r?.done;
  };
  const read = async (fd: number, at: number): Promise<Buffer> => {
    const wanted = ahead && ahead.fd === fd && ahead.at === at;
    // Nothing past `at` (an idle tail, looked at twice a second): no thread-pool round trip, one
    // event-loop wake-up less. A write after the fstat is read at the next look, as one after a read.
    if (!wanted && fstatSync(fd).size <= at) {
      await dropAhead();
      return nothing;
    }
    const r = wanted ? (ahead as PendingRead) : startRead(fd, at);
    // A read ahead of another chunk is waited for: its buffer is the one the next read ahead fills.
    await dropAhead();
    const n = await r.done;
    if (typeof n !== 'number') throw n.error;
    return r.buf.subarray(0, n);
  };
  function* rangesOf(chunk: Buffer): Generator<LineRanges> {
    for (let at = 0; at < chunk.length; ) {
      // Up to the last newline of the next 64 KiB (a character boundary), so the next piece starts
      // a line: its text is not joined to a partial line before it (one copy less of each piece).
      let to = Math.min(chunk.length, at + DECODE_BYTES);
      if (to < chunk.length) {
        const nl = chunk.subarray(at, to).lastIndexOf(10);
        if (nl >= 0) to = at + nl + 1;
      }
      const text = decoder.write(chunk.subarray(at, to));
      at = to;
      yield splitter.ranges(text);
    }
  }
  function* batchesOf(chunk: Buffer): Generator<readonly LogLine[]> {
    for (const lines of rangesOf(chunk)) {
      const batch = emit(lines);
      if (batch) yield batch;
    }
  }
  const lastLine = (): LineRanges | undefined => {
    const last = splitter.takePartial() + decoder.end();
    decoder = createUtf8Decoder();
    return last === '' ? undefined : { text: last, count: 1, bounds: Int32Array.of(0, last.length) };
  };
  return {
    read,
    readAhead(fd, at) {
      ahead = startRead(fd, at);
    },
    dropAhead,
    batchesOf,
    rangesOf,
    lastLine,
    *endOfFile() {
      const last = lastLine();
      const batch = last && emit(last);
      if (batch) yield batch;
    },
    async *readRest(file, from) {
      let at = from;
      for (let rest = await read(file.fd, at); rest.length > 0; rest = await read(file.fd, at)) {
        at += rest.length;
        yield* batchesOf(rest);
      }
      await dropAhead();
      return at - from;
    },
    reset() {
      decoder = createUtf8Decoder();
      splitter.takePartial();
    },
  };
}
