/** The generations of a log path: rotated names, the copy of a truncated file, files rotated away unread, files opened ahead. */
import { closeSync, mkdirSync, mkdtempSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryLogger } from '../../src/core/logger.js';
import { createPendingFiles, findRotatedBetween, findTruncatedCopy, isRotatedName, MAX_PENDING_FILES, readHead } from '../../src/sources/filelog-files.js';
import { openRegularFile, type OpenedFile } from '../../src/sources/filelog-open.js';

let dir: string;
const opened: OpenedFile[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'npd-files-'));
});
afterEach(() => {
  for (const f of opened.splice(0)) {
    try {
      closeSync(f.fd);
    } catch {
      // closed by the code under test
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

const write = (name: string, text: string, mtimeS?: number): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  if (mtimeS !== undefined) utimesSync(p, mtimeS, mtimeS);
  return p;
};
const open = (p: string): OpenedFile => {
  const f = openRegularFile(p) as OpenedFile;
  opened.push(f);
  return f;
};
const text = (f: OpenedFile | undefined): string | undefined => f && readHead(f.fd, 100).toString();

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
    mkdirSync(join(dir, 'kern.log.6'));
    write('other.log.1', 'old head, other file\n', 6000);
    const current = open(path);
    const found = findTruncatedCopy(path, Buffer.from('old head'), current);
    if (found) opened.push(found);
    expect(text(found)).toBe('old head, newer copy\n');
  });

  test('none for an empty head, for no match, and for the excluded file itself', () => {
    const path = write('kern.log', 'x\n');
    const copy = write('kern.log.1', 'old head\n');
    const current = open(path);
    expect(findTruncatedCopy(path, Buffer.alloc(0), current)).toBeUndefined();
    expect(findTruncatedCopy(path, Buffer.from('nothing like it'), current)).toBeUndefined();
    expect(findTruncatedCopy(path, Buffer.from('old head'), open(copy))).toBeUndefined();
    expect(findTruncatedCopy(join(dir, 'missing', 'kern.log'), Buffer.from('old head'), current)).toBeUndefined();
  });
});

/** A file created with a birth time later than `prev`'s (the clock of birth times is coarse: it is created again until so). */
function bornAfter(prev: OpenedFile, name: string, content: string): OpenedFile {
  for (;;) {
    const f = openRegularFile(write(name, content)) as OpenedFile;
    if (f.birthMs > prev.birthMs) {
      opened.push(f);
      return f;
    }
    closeSync(f.fd);
    rmSync(join(dir, name));
  }
}

describe('findRotatedBetween', () => {
  test('rotated siblings born in [after, before], oldest first, but those skipped; none when after is 0', () => {
    const path = write('kern.log', 'now\n');
    const a = open(write('kern.log.3', 'a\n'));
    const b = bornAfter(a, 'kern.log.2', 'b\n');
    const c = bornAfter(b, 'kern.log.1', 'c\n');
    write('kern.log.0.gz', 'gz\n');
    const got = findRotatedBetween(path, a.birthMs, c.birthMs, (f) => f.ino === b.ino);
    opened.push(...got);
    expect(got.map(text)).toEqual(['a\n', 'c\n']);
    const fromB = findRotatedBetween(path, b.birthMs, Number.MAX_SAFE_INTEGER, () => false);
    opened.push(...fromB);
    expect(fromB.map(text)).toEqual(['b\n', 'c\n']);
    const upToB = findRotatedBetween(path, 1, b.birthMs, () => false);
    opened.push(...upToB);
    expect(upToB.map(text)).toEqual(['a\n', 'b\n']);
    expect(findRotatedBetween(path, 0, Number.MAX_SAFE_INTEGER, () => false)).toEqual([]);
  });
});

describe('pending files', () => {
  function setup() {
    const log = createMemoryLogger();
    let skips = 0;
    const path = join(dir, 'kern.log');
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
    renameSync(path, join(dir, 'kern.log.1'));
    write('kern.log', 'second\n');
    pending.nameChanged();
    pending.nameChanged();
    expect(pending.size).toBe(1);
    expect(text(pending.peek())).toBe('second\n');
    const second = pending.take();
    if (second) opened.push(second);
    expect(text(second)).toBe('second\n');
    expect(pending.take()).toBeUndefined();
  });

  test('files found under rotated names go first; close closes every pending file', () => {
    const { path, pending } = setup();
    pending.setCurrent(open(write('kern.log', 'current\n')));
    renameSync(path, join(dir, 'kern.log.1'));
    write('kern.log', 'newest\n');
    pending.discover();
    const older = [openRegularFile(write('kern.log.3', 'older\n')) as OpenedFile, openRegularFile(write('kern.log.2', 'old\n')) as OpenedFile];
    pending.putFirst(older, 2);
    expect(pending.size).toBe(3);
    expect(text(pending.peek())).toBe('older\n');
    pending.close();
    expect(pending.size).toBe(0);
    expect(() => readHead(older[0]?.fd as number, 1)).toThrow();
  });

  test(`at most ${MAX_PENDING_FILES} files are held: a further one is closed, counted and logged`, () => {
    const { path, pending, skips, log } = setup();
    pending.setCurrent(open(write('kern.log', 'current\n')));
    for (let i = 0; i <= MAX_PENDING_FILES; i++) {
      renameSync(path, join(dir, `kern.log.${i + 1}`));
      write('kern.log', `${i}\n`);
      pending.nameChanged();
    }
    expect(pending.size).toBe(MAX_PENDING_FILES);
    expect(skips()).toBe(1);
    expect(log.records.filter((r) => r.level === 'warn').map((r) => [r.msg, r['path'], r['max']])).toEqual([
      ['too many rotated log files waiting to be read, one skipped', path, MAX_PENDING_FILES],
    ]);
    pending.close();
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
