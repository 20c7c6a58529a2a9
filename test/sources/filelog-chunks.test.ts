import { appendFileSync, closeSync, mkdtempSync, openSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { read as readCallback } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createChunkReader, type ChunkReader, type ReadAt } from '../../src/sources/filelog-chunks.js';
import { openRegularFile, type OpenedFile } from '../../src/sources/filelog-open.js';
import type { LineRanges } from '../../src/sources/line-splitter.js';
import type { LogLine } from '../../src/sources/log-source.js';

/** The thread-pool read, counted. */
function countedRead(): { readAt: ReadAt; positions: number[] } {
  const positions: number[] = [];
  const readAt: ReadAt = (fd, buf, position) => {
    positions.push(position);
    return new Promise((resolve, reject) => readCallback(fd, buf, 0, buf.length, position, (err, n) => (err ? reject(err) : resolve(n))));
  };
  return { readAt, positions };
}

/** A read that completes (really reading the file) or fails only when the test says so. */
function manualRead() {
  const calls: { fd: number; position: number; finish: () => void; fail: (err: Error) => void }[] = [];
  const readAt: ReadAt = (fd, buf, position) =>
    new Promise((resolve, reject) => {
      calls.push({ fd, position, finish: () => resolve(readSync(fd, buf, 0, buf.length, position)), fail: reject });
    });
  return { readAt, calls };
}

/** Settles `p` into a state we can look at after the microtasks ran. */
function track(p: Promise<unknown>): { state: () => 'pending' | 'resolved' | 'rejected' } {
  let state: 'pending' | 'resolved' | 'rejected' = 'pending';
  p.then(() => (state = 'resolved'), () => (state = 'rejected'));
  return { state: () => state };
}
const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

/** A reader used for its bytes only (no lines kept). */
const bytesReader = (readAt?: ReadAt): ChunkReader => createChunkReader(() => undefined, 1024, () => {}, readAt);

/** The lines of `r` as strings (copied: the bounds are reused). */
const linesOf = (r: LineRanges): string[] => Array.from({ length: r.count }, (_, i) => r.text.slice(r.bounds[2 * i], r.bounds[2 * i + 1]));
/** An `emit` that keeps every line, as its message. */
const emitAll = (r: LineRanges): LogLine[] => linesOf(r).map((message) => ({ time: new Date(0), message }));
/** The lines of each piece of `chunk`, read while they are valid. */
const piecesOf = (reader: ChunkReader, chunk: string): string[][] => Array.from(reader.rangesOf(Buffer.from(chunk)), linesOf);
const messages = (batches: Iterable<readonly LogLine[]>): string[][] => [...batches].map((b) => b.map((l) => l.message));

describe('createChunkReader', () => {
  let dir: string;
  let fd: number;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'npd-chunks-'));
    writeFileSync(join(dir, 'kern.log'), 'line one\n');
    fd = openSync(join(dir, 'kern.log'), 'r');
  });
  afterEach(() => {
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  });

  test('at the end of the file a read finds nothing without a thread-pool read; appended bytes are read', async () => {
    const { readAt, positions } = countedRead();
    const reader = bytesReader(readAt);
    expect((await reader.read(fd, 0)).toString()).toBe('line one\n');
    expect(positions).toEqual([0]);
    expect((await reader.read(fd, 9)).length).toBe(0);
    expect((await reader.read(fd, 9)).length).toBe(0);
    expect(positions).toEqual([0]);
    appendFileSync(join(dir, 'kern.log'), 'line two\n');
    expect((await reader.read(fd, 9)).toString()).toBe('line two\n');
    expect(positions).toEqual([0, 9]);
  });

  test('a read started ahead is used even at the end of the file, and not read twice', async () => {
    const { readAt, positions } = countedRead();
    const reader = bytesReader(readAt);
    reader.readAhead(fd, 9);
    expect(positions).toEqual([9]); // started at once, not at the read
    appendFileSync(join(dir, 'kern.log'), 'late\n');
    const chunk = await reader.read(fd, 9);
    expect(positions).toEqual([9]);
    // The read ahead may have run before or after the append: what it found, and nothing else.
    expect(['', 'late\n']).toContain(chunk.toString());
  });

  test('a read ahead is used only for the same fd and offset', async () => {
    writeFileSync(join(dir, 'other.log'), 'other file\n');
    const other = openSync(join(dir, 'other.log'), 'r');
    try {
      const { readAt, positions } = countedRead();
      const reader = bytesReader(readAt);
      reader.readAhead(fd, 0);
      expect((await reader.read(other, 0)).toString()).toBe('other file\n');
      reader.readAhead(fd, 0);
      expect((await reader.read(fd, 5)).toString()).toBe('one\n');
      expect(positions).toEqual([0, 0, 0, 5]);
    } finally {
      closeSync(other);
    }
  });

  test('the two buffers alternate: the read ahead does not overwrite the chunk before it', async () => {
    const reader = bytesReader();
    const first = await reader.read(fd, 0);
    appendFileSync(join(dir, 'kern.log'), 'line two\n');
    reader.readAhead(fd, 9);
    const second = await reader.read(fd, 9);
    expect([first.toString(), second.toString()]).toEqual(['line one\n', 'line two\n']);
  });

  test('a read ahead nobody uses is waited for: by dropAhead, and by a read of another chunk', async () => {
    const { readAt, calls } = manualRead();
    const reader = bytesReader(readAt);
    reader.readAhead(fd, 0);
    const dropped = track(reader.dropAhead());
    await tick();
    expect(dropped.state()).toBe('pending');
    calls[0]?.finish();
    await tick();
    expect(dropped.state()).toBe('resolved');

    reader.readAhead(fd, 0);
    const read = reader.read(fd, 5);
    const r = track(read);
    calls[2]?.finish(); // the read at 5
    await tick();
    expect(r.state()).toBe('pending'); // its buffer is free only when the read ahead is done
    calls[1]?.finish();
    expect((await read).toString()).toBe('one\n');
    expect(calls.map((c) => c.position)).toEqual([0, 0, 5]);
  });

  test('a read ahead at the end of the file is dropped: a later read at its offset reads again', async () => {
    const { readAt, positions } = countedRead();
    const reader = bytesReader(readAt);
    reader.readAhead(fd, 0);
    expect((await reader.read(fd, 9)).length).toBe(0);
    writeFileSync(join(dir, 'kern.log'), 'LINE ONE\n');
    expect((await reader.read(fd, 0)).toString()).toBe('LINE ONE\n');
    expect(positions).toEqual([0, 0]);
  });

  test('a failed read rejects read() with its error; failing ahead unawaited is no unhandled rejection', async () => {
    const { readAt, calls } = manualRead();
    const reader = bytesReader(readAt);
    const eio = Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' });
    const read = reader.read(fd, 0);
    calls[0]?.fail(eio);
    await expect(read).rejects.toBe(eio);

    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      reader.readAhead(fd, 0);
      calls[1]?.fail(eio);
      await tick();
      await tick();
      expect(unhandled).toEqual([]);
      await reader.dropAhead(); // the failed read is dropped without an error
      const next = reader.read(fd, 0);
      calls[2]?.finish();
      expect((await next).toString()).toBe('line one\n');
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  test('readRest yields the lines from an offset to the end and returns the bytes read', async () => {
    writeFileSync(join(dir, 'kern.log'), 'line one\nline two\n');
    const file = openRegularFile(join(dir, 'kern.log')) as OpenedFile;
    try {
      const reader = createChunkReader(emitAll, 1024, () => {});
      const rest = reader.readRest(file, 5);
      const batches: string[][] = [];
      let r = await rest.next();
      for (; !r.done; r = await rest.next()) batches.push(r.value.map((l) => l.message));
      expect(batches).toEqual([['one', 'line two']]);
      expect(r.value).toBe(13);
    } finally {
      closeSync(file.fd);
    }
  });
});

describe('lines of a chunk', () => {
  const reader = () => createChunkReader(emitAll, 100_000, () => {});

  test('the last line without a newline comes at the end of the file, once; nothing when the file ended with one', () => {
    const r = reader();
    expect(messages(r.batchesOf(Buffer.from('a\nb')))).toEqual([['a']]);
    expect(messages(r.endOfFile())).toEqual([['b']]);
    expect(messages(r.endOfFile())).toEqual([]);
    expect(messages(r.batchesOf(Buffer.from('c\n')))).toEqual([['c']]);
    expect(messages(r.endOfFile())).toEqual([]);
    r.rangesOf(Buffer.from('d')).next();
    const last = r.lastLine() as LineRanges;
    expect(linesOf(last)).toEqual(['d']);
    expect(r.lastLine()).toBeUndefined();
  });

  test('an emit that keeps no line gives no batch at the end of the file', () => {
    const r = createChunkReader(() => undefined, 100, () => {});
    expect([...r.batchesOf(Buffer.from('a\nb'))]).toEqual([]);
    expect([...r.endOfFile()]).toEqual([]);
  });

  test('a chunk under 64 KiB is one piece, whatever its end', () => {
    expect(piecesOf(reader(), 'a\nbc')).toEqual([['a']]);
  });

  test('64 KiB pieces end at their last newline: each starts a line, and holds whole lines only', () => {
    const lines = Array.from({ length: 200 }, (_, i) => `${i}`.padEnd(999, 'x'));
    const pieces = Array.from(reader().rangesOf(Buffer.from(lines.map((l) => `${l}\n`).join(''))), (r) => ({ text: r.text, lines: linesOf(r) }));
    const perPiece = Math.floor((64 * 1024) / 1000);
    expect(pieces.map((p) => p.lines.length)).toEqual([perPiece, perPiece, perPiece, 200 - 3 * perPiece]);
    expect(pieces.flatMap((p) => p.lines)).toEqual(lines);
    for (const p of pieces) expect(p.text).toBe(p.lines.map((l) => `${l}\n`).join(''));
  });

  test('a newline at the start of 64 KiB ends the piece there; a longer line is joined whole', () => {
    const long = 'x'.repeat(70_000);
    expect(piecesOf(reader(), `\n${long}\n`)).toEqual([[''], [], [long]]);
  });

  test('a line and a multi-byte character across a 64 KiB boundary come out whole', () => {
    const first = 'a'.repeat(100);
    const second = `${'é'.repeat(40_000)}€`;
    const third = `${'€'.repeat(30_000)}z`;
    const out = piecesOf(reader(), `${first}\n${second}\n${third}\n`);
    // Compared as lengths and ends: a failure would print 70,000 characters.
    const ends = (l: string): [number, string, string] => [l.length, l.slice(0, 2), l.slice(-2)];
    expect(out.flat().map(ends)).toEqual([first, second, third].map(ends));
    expect(out.flat().join('\n')).toBe([first, second, third].join('\n'));
    expect(out[0]).toEqual([first]);
  });
});
