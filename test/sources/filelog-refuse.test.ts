/**
 * Only regular files are followed: a FIFO, a device behind a symlink or a directory at the log
 * path is refused without blocking, the source says why (health, log, restarts), ends on abort at
 * once, and reads the path once a regular file is there. A socket is refused too, and a path that
 * changes between the stat and the open is undefined (removed) or refused (a FIFO swapped in).
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { createServer } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../../src/core/clock.js';
import { SourceError } from '../../src/core/errors.js';
import { createMemoryLogger } from '../../src/core/logger.js';
import { createFilelogSource } from '../../src/sources/filelog.js';
import { describeFileType, openRegularFile, sameFile } from '../../src/sources/filelog-open.js';
import { takeNext } from '../helpers/async-lines.js';
import { waitFor } from '../helpers/wait.js';
import { countOpenFdsUnder } from '../helpers/open-fds.js';
import { createRecordingTelemetry } from '../helpers/recording-telemetry.js';

const kinds: readonly [string, (path: string) => void, RegExp][] = [
  ['a FIFO', (p) => execFileSync('mkfifo', [p]), /is a FIFO \(named pipe\), not a regular file: refused/],
  ['/dev/zero behind a symlink', (p) => symlinkSync('/dev/zero', p), /is a character device, not a regular file: refused/],
  ['/dev/urandom behind a symlink', (p) => symlinkSync('/dev/urandom', p), /is a character device, not a regular file: refused/],
  ['a directory', (p) => mkdirSync(p), /is a directory, not a regular file: refused/],
];

describe('filelog refuses what is not a regular file', () => {
  let dir: string;
  beforeEach(async () => void (dir = await mkdtemp(join(tmpdir(), 'npd-refuse-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  test.each(kinds)('openRegularFile on %s throws a SourceError at once, holding no fd', (_name, make, reason) => {
    const path = join(dir, 'kern.log');
    make(path);
    // A blocking open of a FIFO without a writer would never return: this test would time out.
    expect(() => openRegularFile(path)).toThrow(SourceError);
    expect(() => openRegularFile(path)).toThrow(reason);
  });

  test('openRegularFile: a missing path is undefined, a regular file (also behind a symlink) is opened', async () => {
    expect(openRegularFile(join(dir, 'missing.log'))).toBeUndefined();
    writeFileSync(join(dir, 'real.log'), 'abc\n');
    symlinkSync(join(dir, 'real.log'), join(dir, 'link.log'));
    const f = openRegularFile(join(dir, 'link.log'));
    expect(f?.size).toBe(4);
    expect(await countOpenFdsUnder(dir)).toBe(1);
    closeSync(f?.fd as number);
  });

  test.each(kinds)('the source on %s: failing with the reason, a restart counted, abort ends it, a regular file later is read', async (_name, make, reason) => {
    const path = join(dir, 'kern.log');
    make(path);
    const telemetry = createRecordingTelemetry();
    const logger = createMemoryLogger();
    const source = createFilelogSource(
      { plugin: 'filelog', file: 'm.json', source: 'kernel-monitor', logPath: path, lookbackMs: 3_600_000, delayMs: 0, pluginConfig: {} },
      { clock: systemClock, logger, telemetry, bootTimeMs: Date.now() - 3_600_000, random: () => 0 },
      { pollMs: 5 },
    );
    const ac = new AbortController();
    const it = source.lines(ac.signal)[Symbol.asyncIterator]();
    const first = takeNext(it, 1);
    await waitFor(() => telemetry.counts.restarts >= 1, 'a refusal');
    expect(source.health().alive).toBe(false);
    expect(source.health().detail).toMatch(reason);
    expect(logger.records.find((r) => r.level === 'warn' && r.msg === 'source failing')?.['detail']).toMatch(reason);
    expect(await countOpenFdsUnder(dir)).toBe(0);
    rmSync(path, { recursive: true });
    writeFileSync(path, `${new Date().toISOString()} node-1 kernel: now a file\n`);
    expect((await first)[0]?.message).toBe('now a file');
    expect(source.health()).toMatchObject({ alive: true, detail: `reading ${path}` });
    ac.abort();
    await it.return?.();
  });

  test('abort while refused ends the iteration without waiting for the backoff', async () => {
    const path = join(dir, 'kern.log');
    execFileSync('mkfifo', [path]);
    const telemetry = createRecordingTelemetry();
    const source = createFilelogSource(
      { plugin: 'filelog', file: 'm.json', source: 'kernel-monitor', logPath: path, lookbackMs: 3_600_000, delayMs: 0, pluginConfig: {} },
      // random 1: the longest backoff, 30 s after a few attempts; abort must not wait for it.
      { clock: systemClock, logger: createMemoryLogger(), telemetry, bootTimeMs: 0, random: () => 1 },
    );
    const ac = new AbortController();
    const done = (async () => {
      for await (const _ of source.lines(ac.signal));
    })();
    await waitFor(() => telemetry.counts.restarts >= 1, 'a refusal');
    ac.abort();
    await done; // jest's 5 s timeout fails the test if the loop were stuck in open() or a sleep
  });

  test('a socket is refused as a socket', async () => {
    const path = join(dir, 'kern.log');
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(path, resolve));
    try {
      expect(() => openRegularFile(path)).toThrow(SourceError);
      expect(() => openRegularFile(path)).toThrow(/is a socket, not a regular file: refused/);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  test('a stat error other than a missing path (a symlink loop) is thrown', () => {
    symlinkSync(join(dir, 'b.log'), join(dir, 'a.log'));
    symlinkSync(join(dir, 'a.log'), join(dir, 'b.log'));
    expect(() => openRegularFile(join(dir, 'a.log'))).toThrow(expect.objectContaining({ code: 'ELOOP' }));
  });

  test('opened: fd, dev, ino, birth time and size of the file', () => {
    const path = join(dir, 'kern.log');
    writeFileSync(path, 'twelve bytes');
    const st = statSync(path);
    const f = openRegularFile(path);
    if (f) closeSync(f.fd);
    expect(f).toEqual({ fd: expect.any(Number), dev: st.dev, ino: st.ino, birthMs: st.birthtimeMs, size: 12 });
  });

  describe('the path changes between the stat and the open', () => {
    /** Stats `path`, then does `change` to it before the open. */
    const statThen = (change: (path: string) => void) => ({
      stat: (path: string): Stats => {
        const st = statSync(path);
        change(path);
        return st;
      },
      open: (path: string, flags: number): number => openSync(path, flags),
    });

    test('removed: undefined', () => {
      const path = join(dir, 'kern.log');
      writeFileSync(path, 'x\n');
      expect(openRegularFile(path, statThen((p) => rmSync(p)))).toBeUndefined();
    });

    test('a FIFO swapped in: refused as one, without blocking, its fd closed', async () => {
      const path = join(dir, 'kern.log');
      writeFileSync(path, 'x\n');
      const swap = statThen((p) => {
        rmSync(p);
        execFileSync('mkfifo', [p]);
      });
      expect(() => openRegularFile(path, swap)).toThrow(/is a FIFO \(named pipe\), not a regular file: refused/);
      expect(await countOpenFdsUnder(dir)).toBe(0);
    });

    test('an open that fails otherwise (EACCES; running as root, injected) throws its error', () => {
      const path = join(dir, 'kern.log');
      writeFileSync(path, 'x\n');
      const eacces = Object.assign(new Error(`EACCES: permission denied, open '${path}'`), { code: 'EACCES' });
      const calls = {
        stat: (p: string) => statSync(p),
        open: (): number => {
          throw eacces;
        },
      };
      expect(() => openRegularFile(path, calls)).toThrow(eacces);
    });
  });
});

test.each([
  ['a FIFO (named pipe)', 'isFIFO'],
  ['a character device', 'isCharacterDevice'],
  ['a block device', 'isBlockDevice'],
  ['a socket', 'isSocket'],
  ['a directory', 'isDirectory'],
  ['not a regular file', 'none of them'],
])('describeFileType: %s', (want, kind) => {
  const is = (k: string) => () => k === kind;
  const stats = { isFIFO: is('isFIFO'), isCharacterDevice: is('isCharacterDevice'), isBlockDevice: is('isBlockDevice'), isSocket: is('isSocket'), isDirectory: is('isDirectory') };
  expect(describeFileType(stats as unknown as Stats)).toBe(want);
});

test('sameFile: the same device and inode', () => {
  expect(sameFile({ dev: 1, ino: 5 }, { dev: 1, ino: 5 })).toBe(true);
  expect(sameFile({ dev: 1, ino: 5 }, { dev: 2, ino: 5 })).toBe(false);
  expect(sameFile({ dev: 1, ino: 5 }, { dev: 1, ino: 6 })).toBe(false);
});
