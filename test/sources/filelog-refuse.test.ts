/**
 * Only regular files are followed: a FIFO, a device behind a symlink or a directory at the log
 * path is refused without blocking, the source says why (health, log, restarts), ends on abort at
 * once, and reads the path once a regular file is there.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../../src/core/clock.js';
import { SourceError } from '../../src/core/errors.js';
import { createMemoryLogger } from '../../src/core/logger.js';
import { createFilelogSource } from '../../src/sources/filelog.js';
import { openRegularFile } from '../../src/sources/filelog-open.js';
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
});
