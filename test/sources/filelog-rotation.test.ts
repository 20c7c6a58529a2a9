/**
 * Rotation in every style, driven step by step: the reader is held behind (the consumer does not
 * pull, so the source does not read), the file is written to and rotated, and only then does the
 * reader resume. Every numbered line must arrive exactly once. The only wait is for the source's
 * inotify callback to have opened a new file (as it would within a second), never a time.
 */
import { appendFileSync, copyFileSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../../src/core/clock.js';
import type { Clock } from '../../src/core/clock.js';
import { createMemoryLogger } from '../../src/core/logger.js';
import { createFilelogSource } from '../../src/sources/filelog.js';
import type { LogLine } from '../../src/sources/log-source.js';
import { waitFor } from '../helpers/wait.js';
import { countOpenFdsUnder } from '../helpers/open-fds.js';
import { createRecordingTelemetry } from '../helpers/recording-telemetry.js';

const rfcLine = (message: string): string => `${new Date().toISOString()} node-1 app: ${message}\n`;

/** A numbered writer on `path` and a source reading it whose consumer pulls only when asked. */
async function rig(dir: string, watch = true) {
  const path = join(dir, 'app.log');
  writeFileSync(path, '');
  const telemetry = createRecordingTelemetry();
  const logger = createMemoryLogger();
  let sleeps = 0;
  const clock: Clock = { now: () => Date.now(), sleep: (ms, signal) => (sleeps++, systemClock.sleep(ms, signal)) };
  const source = createFilelogSource(
    { plugin: 'filelog', file: 'app-monitor.json', source: 'app', logPath: path, lookbackMs: 3_600_000, delayMs: 0, pluginConfig: {} },
    { clock, logger, telemetry, bootTimeMs: Date.now() - 3_600_000, random: () => 0.5 },
    { pollMs: 5, ...(watch ? {} : { watch: false as const }) },
  );
  const ac = new AbortController();
  const it = (source.batches as NonNullable<typeof source.batches>)(ac.signal)[Symbol.asyncIterator]();
  const got: number[] = [];
  let next = 0;
  return {
    path, telemetry, logger, got,
    /** Appends `k` numbered lines to `to` (default: the log path). */
    write(k: number, to = path): void {
      let text = '';
      for (let i = 0; i < k; i++) text += rfcLine(`line ${next++}`);
      appendFileSync(to, text);
    },
    written: () => next,
    /** Pulls batches until `count` lines (default: every line written) were seen; the source then stays suspended. */
    async catchUp(count = next): Promise<void> {
      const deadline = Date.now() + 20_000;
      while (got.length < count) {
        if (Date.now() > deadline) throw new Error(`caught up to ${got.length} of ${count}`);
        const r = await it.next();
        if (r.done) throw new Error('source ended');
        for (const l of r.value as readonly LogLine[]) got.push(Number(/line (\d+)$/.exec(l.message)?.[1]));
      }
    },
    /** Resolves once the source holds `n` fds in the directory (its inotify callback ran). */
    holding: (n: number) => waitFor(async () => (await countOpenFdsUnder(dir)) === n, `${n} files held`),
    /** Fails if a line arrives before the source has gone back to waiting twice. */
    async expectNothingMore(): Promise<void> {
      const before = sleeps;
      let extra: readonly LogLine[] | undefined;
      const pulled = it.next().then((r) => void (extra = r.done ? undefined : (r.value as readonly LogLine[])));
      await waitFor(() => extra !== undefined || sleeps >= before + 2, 'the source idle');
      expect(extra?.map((l) => l.message)).toBeUndefined();
      ac.abort();
      await pulled;
    },
  };
}

const everyLine = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

describe('filelog rotation, step by step with the reader behind', () => {
  let dir: string;
  beforeEach(async () => void (dir = await mkdtemp(join(tmpdir(), 'npd-rotate-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));
  const rounds = 5;

  test('rename + recreate twice per round, late writes to the renamed file: every line once, in order', async () => {
    const r = await rig(dir);
    r.write(30);
    await r.catchUp();
    let k = 0;
    for (let round = 0; round < rounds; round++) {
      r.write(40); // not read yet: the reader is suspended
      for (let twice = 0; twice < 2; twice++) {
        const rotated = `${r.path}.${++k}`;
        renameSync(r.path, rotated);
        r.write(3, rotated); // the writer has not reopened yet
        writeFileSync(r.path, '');
        r.write(40);
        await r.holding(1 + twice + 1); // the file being read + the new ones, opened from inotify
      }
      await r.catchUp();
    }
    expect(r.got).toEqual(everyLine(r.written()));
    await r.expectNothingMore();
    expect(r.telemetry.counts.fileRotations).toEqual({ renamed: 2 * rounds, truncated: 0 });
    expect(r.telemetry.counts.fileSkips).toEqual({ truncated: 0, 'too-many-files': 0 });
    expect(r.telemetry.counts.restarts).toBe(0);
  });

  test('delete + recreate twice per round: the deleted files are read to their end, every line once', async () => {
    const r = await rig(dir);
    r.write(30);
    await r.catchUp();
    for (let round = 0; round < rounds; round++) {
      r.write(40);
      for (let twice = 0; twice < 2; twice++) {
        rmSync(r.path);
        r.write(40); // creates the new file
        await r.holding(1 + twice + 1); // a deleted file still open counts: /proc shows "(deleted)"
      }
      await r.catchUp();
    }
    expect(r.got).toEqual(everyLine(r.written()));
    await r.expectNothingMore();
    expect(r.telemetry.counts.fileRotations).toEqual({ renamed: 2 * rounds, truncated: 0 });
    expect(r.telemetry.counts.fileSkips).toEqual({ truncated: 0, 'too-many-files': 0 });
  });

  test('copytruncate, the file regrowing past the reader\'s offset before it reads: the rest comes from the copy, every line once', async () => {
    const r = await rig(dir);
    let inFile = 30;
    r.write(inFile);
    await r.catchUp();
    for (let round = 1; round <= rounds; round++) {
      r.write(40);
      inFile += 40;
      copyFileSync(r.path, `${r.path}.${round}`);
      truncateSync(r.path, 0);
      // More lines than the file had: its size is past the reader's offset again, so only its
      // changed first bytes show the truncation.
      inFile += 10;
      r.write(inFile);
      await r.catchUp();
    }
    expect(r.got).toEqual(everyLine(r.written()));
    await r.expectNothingMore();
    expect(r.telemetry.counts.fileRotations).toEqual({ renamed: 0, truncated: rounds });
    expect(r.telemetry.counts.fileSkips).toEqual({ truncated: 0, 'too-many-files': 0 });
    expect(r.logger.records.filter((l) => l.msg === 'log file truncated, reading from the start').map((l) => l['recoveredBytes'])).toEqual(Array(rounds).fill(expect.any(Number)));
  });

  test('copytruncate whose copy is gone (compressed at once) while 1.9 MB were unread: the loss is counted and warned, no line twice', async () => {
    const r = await rig(dir);
    r.write(30);
    await r.catchUp();
    r.write(40_000); // ~1.9 MB
    await r.catchUp(31); // one batch: the source has read the first 1 MiB and seen the size
    copyFileSync(r.path, `${r.path}.1.gz`); // not text: never read
    truncateSync(r.path, 0);
    r.write(100);
    const last = r.written() - 1;
    const deadline = Date.now() + 20_000;
    while (r.got[r.got.length - 1] !== last && Date.now() < deadline) await r.catchUp(r.got.length + 1);
    await r.expectNothingMore();
    // Lines 0..29, then what was read before the truncation, then a gap, then the 100 new lines.
    expect(r.got.slice(0, 30)).toEqual(everyLine(30));
    expect(r.got.slice(-100)).toEqual(everyLine(100).map((i) => i + 40_030));
    expect(r.got.every((n, i) => i === 0 || n === (r.got[i - 1] as number) + 1 || n === 40_030)).toBe(true);
    expect(r.got.length).toBeLessThan(r.written() - 10_000);
    expect(r.telemetry.counts.fileSkips).toEqual({ truncated: 1, 'too-many-files': 0 });
    expect(r.telemetry.counts.fileRotations.truncated).toBe(1);
    const warning = r.logger.records.find((l) => l.level === 'warn');
    expect(warning?.msg).toMatch(/truncated before it was read to the end/);
    expect(warning?.['unreadBytes']).toBeGreaterThan(500_000); // ~1.9 MB written, 1 MiB of it read
  });

  test('rename storm faster than the reader (no inotify): files rotated away before they were opened are read under their new names', async () => {
    const r = await rig(dir, false);
    r.write(30);
    await r.catchUp();
    for (let round = 0, k = 0; round < 3; round++) {
      r.write(40);
      for (let i = 0; i < 3; i++) {
        renameSync(r.path, `${r.path}.${++k}`);
        r.write(40); // a new file, renamed away again before the reader looks
      }
      await r.catchUp();
    }
    expect(r.got).toEqual(everyLine(r.written()));
    await r.expectNothingMore();
    expect(r.telemetry.counts.fileRotations.renamed).toBe(9);
    expect(r.logger.records.filter((l) => l.msg.startsWith('log files rotated away before they were opened')).map((l) => l['files'])).toEqual([2, 2, 2]);
  });

  test('two copytruncates before the reader reads: the first copy from the offset, the second whole, every line once', async () => {
    const r = await rig(dir);
    r.write(30);
    await r.catchUp();
    for (let round = 1; round <= 3; round++) {
      r.write(40);
      copyFileSync(r.path, `${r.path}.${round}a`);
      truncateSync(r.path, 0);
      r.write(50);
      copyFileSync(r.path, `${r.path}.${round}b`);
      truncateSync(r.path, 0);
      r.write(200); // past the old offset
      await r.catchUp();
    }
    expect(r.got).toEqual(everyLine(r.written()));
    await r.expectNothingMore();
    expect(r.telemetry.counts.fileRotations).toEqual({ renamed: 0, truncated: 6 });
    expect(r.telemetry.counts.fileSkips.truncated).toBe(0);
  });
});
