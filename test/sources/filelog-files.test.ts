/** The generations of a log path: rotated names, the copy of a truncated file, files rotated away unread, files opened ahead. */
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createMemoryLogger } from '../../src/core/logger.js';
import { createPendingFiles, findRotatedBetween, findTruncatedCopy, isRotatedName, MAX_COPY_CANDIDATES, MAX_PENDING_FILES, readHead } from '../../src/sources/filelog-files.js';
import { openRegularFile, type OpenedFile } from '../../src/sources/filelog-open.js';
import { createLogDir, headText, type LogDir } from '../helpers/log-dir.js';
import { countOpenFdsUnder } from '../helpers/open-fds.js';

let d: LogDir;
beforeEach(() => void (d = createLogDir('npd-files-')));
afterEach(() => d.cleanup());
const write = (name: string, text: string, mtimeS?: number): string => d.write(name, text, mtimeS);
const open = (p: string): OpenedFile => d.open(p);

test.each([
  ['kern.log.1', true], ['kern.log-20261202', true], ['kern.log.1.gz', false], ['kern.log.2.bz2', false], ['kern.log.3.xz', false],
  ['kern.log.4.zst', false], ['kern.log.5.lz4', false], ['kern.log.6.Z', false], ['kern.log.7.zip', false], ['kern.log.gzip', true],
  ['kern.log.', false], ['kern.log', false], ['kern.logx1', false], ['kern.log_1', false], ['xkern.log.1', false], ['kern.lo.1', false],
])('isRotatedName(kern.log, %s) = %s', (name, want) => {
  expect(isRotatedName('kern.log', name)).toBe(want);
});

describe('findTruncatedCopy', () => {
  test('the rotated copy that starts with the head read before; the newest of two; never the file itself', () => {
    const path = write('kern.log', 'new generation\n');
    write('kern.log.1', 'old head, newer copy\n', 2000);
    write('kern.log.2', 'old head, older copy\n', 1000);
    write('kern.log.3', 'other\n', 3000);
    write('kern.log.4.gz', 'old head, compressed\n', 4000);
    write('kern.log.5', 'old', 5000); // shorter than the head
    mkdirSync(join(d.dir, 'kern.log.6'));
    write('other.log.1', 'old head, other file\n', 6000);
    const current = open(path);
    const found = findTruncatedCopy(path, Buffer.from('old head'), current);
    if (found) d.keep(found);
    expect(headText(found)).toBe('old head, newer copy\n');
  });

  test('none for an empty head, for no match, and for the excluded file itself', () => {
    const path = write('kern.log', 'x\n');
    const copy = write('kern.log.1', 'old head\n');
    const current = open(path);
    expect(findTruncatedCopy(path, Buffer.alloc(0), current)).toBeUndefined();
    expect(findTruncatedCopy(path, Buffer.from('nothing like it'), current)).toBeUndefined();
    expect(findTruncatedCopy(path, Buffer.from('old head'), open(copy))).toBeUndefined();
    expect(findTruncatedCopy(join(d.dir, 'missing', 'kern.log'), Buffer.from('old head'), current)).toBeUndefined();
  });
});

describe('findTruncatedCopy: which copies', () => {
  test('the newest match by mtime, whatever the order of the names; the others are closed', async () => {
    const path = write('kern.log', 'x\n');
    [3000, 1000, 5000, 2000, 4000].forEach((m, i) => write(`kern.log.${i + 1}`, `old head ${m}\n`, m));
    write('kern.log.6', 'other head\n', 6000);
    const found = findTruncatedCopy(path, Buffer.from('old head'), open(path));
    d.keep(found);
    expect(headText(found)).toBe('old head 5000\n');
    expect(await countOpenFdsUnder(d.dir)).toBe(2); // the current file and the copy
  });

  test(`the ${MAX_COPY_CANDIDATES} newest copies that can hold the head are looked at; directories and shorter files are not among them`, () => {
    const path = write('kern.log', 'x\n');
    write('kern.log.0', 'old head\n', 1000);
    for (let i = 1; i <= MAX_COPY_CANDIDATES; i++) {
      mkdirSync(join(d.dir, `kern.log.d${i}`));
      write(`kern.log.s${i}`, 'old', 2000 + i);
    }
    const current = open(path);
    const found = findTruncatedCopy(path, Buffer.from('old head'), current);
    d.keep(found);
    expect(headText(found)).toBe('old head\n');
    for (let i = 1; i <= MAX_COPY_CANDIDATES; i++) write(`kern.log.n${i}`, 'new head\n', 3000 + i);
    expect(findTruncatedCopy(path, Buffer.from('old head'), current)).toBeUndefined();
  });
});

describe('findRotatedBetween', () => {
  test('files born in one tick: the lower inode (created first) first, whatever their names', () => {
    const path = write('kern.log', 'now\n');
    // Created again until both fall in one tick of the birth-time clock, inodes in creation order.
    for (;;) {
      const first = open(write('kern.log.2', 'first\n'));
      const second = open(write('kern.log.1', 'second\n'));
      if (first.birthMs === second.birthMs && first.ino < second.ino) break;
      rmSync(join(d.dir, 'kern.log.2'));
      rmSync(join(d.dir, 'kern.log.1'));
    }
    const { birthMs } = open(join(d.dir, 'kern.log.2'));
    const got = findRotatedBetween(path, birthMs, birthMs, () => false);
    d.keep(...got);
    expect(got.map(headText)).toEqual(['first\n', 'second\n']);
  });

  test(`at most ${MAX_PENDING_FILES} files, the oldest`, () => {
    const path = write('kern.log', 'now\n');
    for (let i = 1; i < MAX_PENDING_FILES; i++) write(`kern.log.a${i}`, `${i}\n`);
    d.bornAfter(open(write(`kern.log.a${MAX_PENDING_FILES}`, 'last kept\n')), 'kern.log.b', 'newest\n');
    const got = findRotatedBetween(path, 1, Number.MAX_SAFE_INTEGER, () => false);
    d.keep(...got);
    expect(got).toHaveLength(MAX_PENDING_FILES);
    expect(got.map(headText)).not.toContain('newest\n');
  });

  test('rotated siblings born in [after, before], oldest first, but those skipped; none when after is 0', () => {
    const path = write('kern.log', 'now\n');
    const a = open(write('kern.log.3', 'a\n'));
    const b = d.bornAfter(a, 'kern.log.2', 'b\n');
    const c = d.bornAfter(b, 'kern.log.1', 'c\n');
    write('kern.log.0.gz', 'gz\n');
    const got = findRotatedBetween(path, a.birthMs, c.birthMs, (f) => f.ino === b.ino);
    d.keep(...got);
    expect(got.map(headText)).toEqual(['a\n', 'c\n']);
    const fromB = findRotatedBetween(path, b.birthMs, Number.MAX_SAFE_INTEGER, () => false);
    d.keep(...fromB);
    expect(fromB.map(headText)).toEqual(['b\n', 'c\n']);
    const upToB = findRotatedBetween(path, 1, b.birthMs, () => false);
    d.keep(...upToB);
    expect(upToB.map(headText)).toEqual(['a\n', 'b\n']);
    expect(findRotatedBetween(path, 0, Number.MAX_SAFE_INTEGER, () => false)).toEqual([]);
  });
});

describe('pending files', () => {
  function setup() {
    const log = createMemoryLogger();
    let skips = 0;
    const path = join(d.dir, 'kern.log');
    const pending = createPendingFiles(path, log, () => skips++);
    return { log, path, pending, skips: () => skips };
  }

  test('nothing is opened ahead before the reader has a file; then a new file at the path is held once', () => {
    const { path, pending } = setup();
    write('kern.log', 'first\n');
    pending.discover();
    expect(pending.size).toBe(0);
    const first = open(path);
    pending.setCurrent(first);
    pending.discover();
    expect(pending.size).toBe(0);
    expect(pending.holds(first)).toBe(true);
    renameSync(path, join(d.dir, 'kern.log.1'));
    write('kern.log', 'second\n');
    pending.nameChanged();
    pending.nameChanged();
    expect(pending.size).toBe(1);
    expect(headText(pending.peek())).toBe('second\n');
    const second = pending.take();
    if (second) d.keep(second);
    expect(headText(second)).toBe('second\n');
    expect(pending.take()).toBeUndefined();
  });

  test('files found under rotated names go first; close closes every pending file', () => {
    const { path, pending } = setup();
    pending.setCurrent(open(write('kern.log', 'current\n')));
    renameSync(path, join(d.dir, 'kern.log.1'));
    write('kern.log', 'newest\n');
    pending.discover();
    const older = [openRegularFile(write('kern.log.3', 'older\n')) as OpenedFile, openRegularFile(write('kern.log.2', 'old\n')) as OpenedFile];
    pending.putFirst(older, 2);
    expect(pending.size).toBe(3);
    expect(headText(pending.peek())).toBe('older\n');
    pending.close();
    expect(pending.size).toBe(0);
    expect(() => readHead(older[0]?.fd as number, 1)).toThrow();
  });

  test('files that came and went unopened are reported once, only when the file read last was deleted', () => {
    const { path, pending } = setup();
    pending.setCurrent(open(write('kern.log', 'current\n')));
    // Two files created and deleted at the path, never opened: a create and a delete event each.
    for (let i = 0; i < 4; i++) pending.nameChanged();
    rmSync(path);
    expect(pending.unopened(true)).toBe(2);
    expect(pending.unopened(true)).toBe(0);
    for (let i = 0; i < 2; i++) pending.nameChanged();
    expect(pending.unopened(false)).toBe(0);
    for (let i = 0; i < 2; i++) pending.nameChanged();
    expect(pending.unopened(true)).toBe(1);
  });
});
