/**
 * The files of a log path opened ahead of the reader: what is opened (and not), in which order,
 * what is closed, and the count of files that came and went unopened.
 */
import { execFileSync } from 'node:child_process';
import { renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createMemoryLogger } from '../../src/core/logger.js';
import { createPendingFiles, MAX_PENDING_FILES } from '../../src/sources/filelog-files.js';
import { openRegularFile, type OpenedFile } from '../../src/sources/filelog-open.js';
import { createLogDir, headText, type LogDir } from '../helpers/log-dir.js';
import { countOpenFdsUnder } from '../helpers/open-fds.js';

let d: LogDir;
beforeEach(() => void (d = createLogDir('npd-pending-')));
afterEach(() => d.cleanup());

/** Pending files of `kern.log`, opening through `open` (the real open, counted, by default). */
function setup(open: (path: string) => OpenedFile | undefined = openRegularFile) {
  const log = createMemoryLogger();
  let skips = 0;
  const opens: string[] = [];
  const path = join(d.dir, 'kern.log');
  const pending = createPendingFiles(path, log, () => skips++, (p) => {
    opens.push(p);
    return open(p);
  });
  /** The file at the path moved to `kern.log.<n>` and a new one written: the name's two events. */
  const rotate = (n: number, text: string): void => {
    renameSync(path, join(d.dir, `kern.log.${n}`));
    d.write('kern.log', text);
    pending.nameChanged();
    pending.nameChanged();
  };
  return { log, path, pending, opens, rotate, skips: () => skips };
}

describe('opening ahead', () => {
  test('holds nothing before the reader has a file', () => {
    const { pending, path } = setup();
    expect(pending.holds(d.open(d.write('kern.log', 'x\n')))).toBe(false);
    pending.discover();
    expect(pending.size).toBe(0);
    expect(pending.holds(d.open(path))).toBe(false);
  });

  test('the file being read, or none at the path, is not opened again', () => {
    const { pending, path, opens } = setup();
    pending.setCurrent(d.open(d.write('kern.log', 'current\n')));
    pending.discover();
    rmSync(path);
    pending.discover();
    expect(opens).toEqual([]);
    expect(pending.size).toBe(0);
  });

  test('a file found held when opened (the path changed after the look) is closed, not held twice', async () => {
    const { pending, path, rotate } = setup((p) => openRegularFile(p === join(d.dir, 'kern.log') ? join(d.dir, 'kern.log.1') : p));
    pending.setCurrent(d.open(d.write('kern.log', 'current\n')));
    rotate(1, 'new\n'); // opening the path opens kern.log.1, the current file, instead
    expect(pending.size).toBe(0);
    expect(await countOpenFdsUnder(d.dir)).toBe(1);
    expect(path).toBe(join(d.dir, 'kern.log'));
  });

  test('a file gone by the open is skipped; one that cannot be opened is logged (debug) and skipped', () => {
    const { pending, path, log } = setup((p) => (p.endsWith('gone') ? undefined : openRegularFile(p)));
    pending.setCurrent(d.open(d.write('kern.log', 'current\n')));
    renameSync(path, join(d.dir, 'kern.log.1'));
    execFileSync('mkfifo', [path]);
    pending.nameChanged();
    expect(pending.size).toBe(0);
    expect(log.records.map((r) => [r.level, r.msg, r['path'], r['error']])).toEqual([
      ['debug', 'could not open a new log file ahead', path, expect.stringMatching(/is a FIFO/)],
    ]);
    const gone = setup(() => undefined);
    gone.pending.setCurrent(d.open(join(d.dir, 'kern.log.1')));
    gone.pending.discover(); // the FIFO is there, but opening finds nothing
    expect(gone.opens).toEqual([path]);
    expect(gone.pending.size).toBe(0);
  });

  test(`a file over ${MAX_PENDING_FILES} held is closed, counted and warned once, however often it is met`, async () => {
    const { pending, rotate, skips, log, path } = setup();
    pending.setCurrent(d.open(d.write('kern.log', 'current\n')));
    for (let i = 0; i <= MAX_PENDING_FILES; i++) rotate(i + 1, `${i}\n`);
    expect([pending.size, skips()]).toEqual([MAX_PENDING_FILES, 1]);
    expect(log.records.filter((r) => r.level === 'warn').map((r) => [r.msg, r['path'], r['max']])).toEqual([
      ['too many rotated log files waiting to be read, one skipped', path, MAX_PENDING_FILES],
    ]);
    expect(await countOpenFdsUnder(d.dir)).toBe(MAX_PENDING_FILES + 1); // and the current file
    pending.discover();
    expect(skips()).toBe(1);
    // Counted once as opened too: its delete and two files that came and went are two unopened.
    rmSync(path);
    for (let i = 0; i < 5; i++) pending.nameChanged();
    expect(pending.unopened(true)).toBe(2);
    pending.close();
    expect(await countOpenFdsUnder(d.dir)).toBe(1);
  });
});

describe('order', () => {
  /** Opens with the birth times given, one per open, in turn. */
  const withBirths = (births: number[]) => (p: string): OpenedFile | undefined => {
    const f = openRegularFile(p);
    return f && { ...f, birthMs: births.shift() as number };
  };

  test('by birth time, files of one tick in the order found', () => {
    const { pending, rotate } = setup(withBirths([30, 10, 20, 20]));
    pending.setCurrent(d.open(d.write('kern.log', 'current\n')));
    ['b', 'c', 'd', 'e'].forEach((t, i) => rotate(i + 1, `${t}\n`));
    const taken = [pending.take(), pending.take(), pending.take(), pending.take()];
    d.keep(...taken);
    expect(taken.map(headText)).toEqual(['c\n', 'd\n', 'e\n', 'b\n']);
  });

  test('without birth times, in the order found', () => {
    const { pending, rotate } = setup(withBirths([0, 0, 0]));
    pending.setCurrent(d.open(d.write('kern.log', 'current\n')));
    ['b', 'c', 'd'].forEach((t, i) => rotate(i + 1, `${t}\n`));
    const taken = [pending.take(), pending.take(), pending.take()];
    d.keep(...taken);
    expect(taken.map(headText)).toEqual(['b\n', 'c\n', 'd\n']);
  });
});

describe('unopened files', () => {
  test('a file taken from the pending ones, or found under a rotated name, is not counted again as the reader takes it', () => {
    const { pending, rotate, path } = setup();
    pending.setCurrent(d.open(d.write('kern.log', 'a\n')));
    rotate(1, 'b\n');
    const b = pending.take() as OpenedFile;
    d.keep(b);
    pending.setCurrent(b);
    const found = d.open(d.write('kern.log.0', 'found\n'));
    pending.putFirst([found], 1);
    pending.setCurrent(pending.take());
    // Three files came and went at the path, unopened: six events; one of them was found renamed.
    rmSync(path);
    for (let i = 0; i < 6; i++) pending.nameChanged();
    expect(pending.unopened(true)).toBe(2);
  });

  test('a file the reader opened itself counts, the same file reopened after an error does not', () => {
    const { pending, path } = setup();
    const a = d.open(d.write('kern.log', 'a\n'));
    pending.setCurrent(a);
    pending.setCurrent(undefined);
    pending.setCurrent(d.open(path)); // a reopened
    renameSync(path, join(d.dir, 'kern.log.1'));
    pending.setCurrent(d.open(d.write('kern.log', 'b\n'))); // opened by the reader: a move and a create
    for (let i = 0; i < 4; i++) pending.nameChanged();
    expect(pending.unopened(true)).toBe(1);
  });

  test('more files opened than events: none, and the surplus is not carried over', () => {
    const { pending, rotate, path } = setup();
    pending.setCurrent(d.open(d.write('kern.log', 'a\n')));
    rotate(1, 'b\n');
    rotate(2, 'c\n');
    d.keep(pending.take(), pending.take());
    pending.putFirst([], 2); // both found again under rotated names as well
    expect(pending.unopened(true)).toBe(0);
    rmSync(path);
    for (let i = 0; i < 6; i++) pending.nameChanged(); // three files came and went
    expect(pending.unopened(true)).toBe(1);
  });
});
