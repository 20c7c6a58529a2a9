/**
 * What `npd replay` reads, with the agent's own parts: rows read and split as the filelog source
 * does, kmsg records through the kmsg source's framer and parser, `journalctl -o json` entries
 * through the journald source's parser. (`journalctl -o export`, which the agent never reads, has
 * its small reader here.)
 */
import { read } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { ConfigError, errorMessage } from '../core/errors.js';
import { createChunkReader, type ReadAt } from '../sources/filelog-chunks.js';
import type { LineRanges } from '../sources/line-splitter.js';
import { parseJournalEntry } from '../sources/journal-entry.js';
import { createKmsgFramer } from '../sources/kmsg.js';
import { parseKmsgRecord } from '../sources/kmsg-parser.js';
import type { LogLine } from '../sources/log-source.js';

/** Longest row kept (the filelog source's default); the rest of a longer row is dropped. */
const MAX_ROW_CHARS = 256 * 1024;

/** Reads on from the file's position, not at an offset: a FIFO or `/dev/stdin` has none. */
const readOn: ReadAt = (fd, buf) => new Promise((resolve, reject) => read(fd, buf, 0, buf.length, null, (err, n) => (err ? reject(err) : resolve(n))));

/** Opens a log file; a missing or unreadable path is a ConfigError naming it (exit 2). */
async function openLogFile(file: string): Promise<FileHandle> {
  try {
    const fh = await open(file, 'r');
    if ((await fh.stat()).isDirectory()) {
      await fh.close();
      throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    }
    return fh;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, not a log file' : code === 'EACCES' ? 'permission denied' : errorMessage(err);
    throw new ConfigError(file, '', `cannot read log file: ${why}`, { cause: err });
  }
}

/**
 * The rows of a log file in order (a FIFO too), read and split by the filelog source's own reader
 * (1 MiB reads through the thread pool, the next one started while a chunk is parsed, decoded 64 KiB
 * at a time up to a newline, CRLF, over-long rows cut), without holding the whole file: as ranges of
 * each decoded piece (valid until the next one is asked for).
 */
export async function* fileLines(file: string): AsyncGenerator<LineRanges> {
  const fh = await openLogFile(file);
  try {
    const reader = createChunkReader(() => undefined, MAX_ROW_CHARS, () => {}, readOn);
    try {
      let at = 0;
      // Always a read ahead, so the reader does not look at the size (a FIFO's is 0) before reading.
      reader.readAhead(fh.fd, at);
      for (let chunk = await reader.read(fh.fd, at); chunk.length > 0; chunk = await reader.read(fh.fd, at)) {
        at += chunk.length;
        reader.readAhead(fh.fd, at);
        yield* reader.rangesOf(chunk);
      }
    } finally {
      await reader.dropAhead();
    }
    const last = reader.lastLine();
    if (last) yield last;
  } finally {
    await fh.close();
  }
}

/** Takes a file's rows in order (`first` is the 1-based number of `rows[0]`) and hands out lines. */
export interface RowReader {
  rows(rows: readonly string[], first: number): void;
  end(): void;
}

/** Receives the lines of one file, numbered (1-based, the first row of a multi-row record). */
export type LineSink = (line: LogLine, number: number) => void;

/** kmsg records through the kmsg source's own framer (continuation rows joined) and parser. */
export function kmsgReader(bootTimeMs: number, sink: LineSink): RowReader {
  const framer = createKmsgFramer();
  let start = 0;
  const emit = (record: string | undefined): void => {
    const parsed = record === undefined ? undefined : parseKmsgRecord(record, bootTimeMs);
    if (parsed) sink(parsed.line, start);
  };
  return {
    rows(rows, first) {
      rows.forEach((row, i) => {
        for (const record of framer.push(`${row}\n`)) emit(record);
        if (row !== '' && !row.startsWith(' ')) start = first + i; // a new record starts on this row
      });
    },
    end: () => emit(framer.flush()),
  };
}

/** One `journalctl -o json` row through the journald source's parser. */
export function journalJsonLine(row: string, nowMs: number): LogLine | undefined {
  if (row.trim() === '') return undefined;
  const entry = parseJournalEntry(row);
  if (entry) return entry.line;
  // Entries without a cursor (hand-written fixtures) still have a MESSAGE worth matching.
  try {
    const obj = JSON.parse(row) as Record<string, unknown>;
    if (typeof obj.MESSAGE === 'string') return { time: new Date(nowMs), message: obj.MESSAGE.trim() };
  } catch {
    // not JSON: skipped
  }
  return undefined;
}

/** `journalctl -o export` entries (blank-row separated `KEY=value` rows); the agent reads `-o json`. */
export function journalExportReader(nowMs: number, sink: LineSink): RowReader {
  let fields: Record<string, string> = {};
  let start = 1;
  let empty = true;
  const flush = (): void => {
    if (fields.MESSAGE !== undefined) {
      const usec = fields.__REALTIME_TIMESTAMP;
      const time = usec && /^\d+$/.test(usec) ? new Date(Number(usec) / 1000) : new Date(nowMs);
      sink({ time, message: fields.MESSAGE.trim() }, start);
    }
    fields = {};
    empty = true;
  };
  return {
    rows(rows, first) {
      rows.forEach((row, i) => {
        if (row === '') return flush();
        if (empty) start = first + i;
        empty = false;
        const eq = row.indexOf('=');
        if (eq > 0) fields[row.slice(0, eq)] = row.slice(eq + 1);
      });
    },
    end: flush,
  };
}
