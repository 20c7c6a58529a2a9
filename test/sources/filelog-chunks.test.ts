import { appendFileSync, closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { read as readCallback } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createChunkReader, type ReadAt } from '../../src/sources/filelog-chunks.js';

/** The thread-pool read, counted. */
function countedRead(): { readAt: ReadAt; positions: number[] } {
  const positions: number[] = [];
  const readAt: ReadAt = (fd, buf, position) => {
    positions.push(position);
    return new Promise((resolve, reject) => readCallback(fd, buf, 0, buf.length, position, (err, n) => (err ? reject(err) : resolve(n))));
  };
  return { readAt, positions };
}

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
    const reader = createChunkReader(() => undefined, 1024, () => {}, readAt);
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
    const reader = createChunkReader(() => undefined, 1024, () => {}, readAt);
    reader.readAhead(fd, 9);
    appendFileSync(join(dir, 'kern.log'), 'late\n');
    const chunk = await reader.read(fd, 9);
    expect(positions).toEqual([9]);
    // The read ahead may have run before or after the append: what it found, and nothing else.
    expect(['', 'late\n']).toContain(chunk.toString());
  });
});
