/**
 * The filelog source's own loop (filelog.ts): read errors and the retry that resumes the same file
 * where it was, the wait for a missing file, the directory events it acts on (only its own name's),
 * the size it knows a file had when a truncation loses lines, a truncation that keeps the file's
 * first bytes, its options (`watch: false`, `maxLineChars`, `timeZone`), and the files it holds
 * released when the consumer stops.
 */
import { copyFileSync, read, renameSync, truncateSync, unlinkSync, watch as fsWatch, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createManualClock } from '../../src/core/clock.js';
import type { Clock } from '../../src/core/clock.js';
import { createMemoryLogger } from '../../src/core/logger.js';
import type { ReadAt } from '../../src/sources/filelog-chunks.js';
import { createFilelogSource } from '../../src/sources/filelog.js';
import type { WatchFn } from '../../src/sources/filelog-wake.js';
import type { LogLine } from '../../src/sources/log-source.js';
import { everyLine, rfcLine, rig } from '../helpers/filelog-rig.js';
import { countOpenFdsUnder } from '../helpers/open-fds.js';
import { createRecordingTelemetry } from '../helpers/recording-telemetry.js';
import { waitFor } from '../helpers/wait.js';

/** A manual clock whose sleeps are recorded in `sleeps`. */
function recordingClock() {
  const manual = createManualClock(Date.now());
  const sleeps: number[] = [];
  const clock: Clock = { now: manual.now, sleep: (ms, signal) => (sleeps.push(ms), manual.sleep(ms, signal)) };
  return { manual, sleeps, clock };
}

/** `fs.watch` that counts the events it delivered, per file name. */
function countingWatch() {
  const seen = new Map<string, number>();
  const watch: WatchFn = (dir, options, listener) => fsWatch(dir, options, (event, file) => {
    listener(event, file);
    seen.set(`${event} ${file}`, (seen.get(`${event} ${file}`) ?? 0) + 1);
  });
  return { watch, count: (event: string, file: string): number => seen.get(`${event} ${file}`) ?? 0 };
}

const poolRead: ReadAt = (fd, buf, position) => new Promise((resolve, reject) => read(fd, buf, 0, buf.length, position, (err, n) => (err ? reject(err) : resolve(n))));

describe('filelog source loop', () => {
  let dir: string;
  beforeEach(async () => void (dir = await mkdtemp(join(tmpdir(), 'npd-filelog-loop-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  test('a read error: failing, naming the file and the error, retried with a growing delay; the file resumed at its offset, no line twice or lost', async () => {
    const { manual, clock } = recordingClock();
    let failures = 0;
    const readAt: ReadAt = (fd, buf, position) => {
      if (failures === 0) return poolRead(fd, buf, position);
      failures--;
      return Promise.reject(Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' }));
    };
    const r = await rig(dir, { clock, pollMs: 3_600_000, readAt });
    r.write(3);
    await r.catchUp(3);
    failures = 2;
    r.write(2);
    const rest = r.catchUp(5);
    await waitFor(() => r.source.health().state === 'failing', 'the source failing');
    expect(r.source.health().detail).toBe(`${r.path}: EIO: i/o error, read; reopening in 75ms`);
    await manual.advance(75);
    await waitFor(() => r.source.health().detail.endsWith('reopening in 150ms'), 'the second retry twice as late');
    await manual.advance(150);
    await rest;
    expect(r.source.health()).toMatchObject({ state: 'up', alive: true, detail: `reading ${r.path}` });
    expect(r.telemetry.counts.restarts).toBe(2);
    r.write(1);
    await r.catchUp(6);
    expect(r.got).toEqual(everyLine(6));
    await r.stop();
  });

  test('copytruncate while the source was failing: the rest it had not read comes from the copy', async () => {
    const { manual, clock } = recordingClock();
    let failures = 0;
    const readAt: ReadAt = (fd, buf, position) => (failures-- > 0 ? Promise.reject(new Error('EIO: i/o error, read')) : poolRead(fd, buf, position));
    const r = await rig(dir, { clock, pollMs: 3_600_000, readAt });
    r.write(30);
    await r.catchUp(30);
    failures = 1;
    r.write(10);
    const rest = r.catchUp(42);
    await waitFor(() => r.source.health().state === 'failing', 'the source failing');
    copyFileSync(r.path, `${r.path}.1`);
    truncateSync(r.path, 0);
    r.write(2); // less than the offset it failed at
    await manual.advance(75);
    await rest;
    expect(r.got).toEqual(everyLine(42));
    expect(r.telemetry.counts.fileRotations.truncated).toBe(1);
    await r.stop();
  });

  test('a missing file: waiting, looked for again later and later (no random given: still waiting, not failing)', async () => {
    const { manual, sleeps, clock } = recordingClock();
    const path = join(dir, 'absent.log');
    const make = (random?: () => number) => createFilelogSource(
      { plugin: 'filelog', file: 'app-monitor.json', source: 'app', logPath: path, lookbackMs: 3_600_000, delayMs: 0, pluginConfig: {} },
      { clock, logger: createMemoryLogger(), telemetry: createRecordingTelemetry(), bootTimeMs: 0, ...(random ? { random } : {}) },
      { pollMs: 1000, watch: false },
    );
    const ac = new AbortController();
    const s = make(() => 0.5);
    const pulled = s.lines(ac.signal)[Symbol.asyncIterator]().next();
    for (const [i, delay] of [750, 1500, 3000, 6000].entries()) {
      await waitFor(() => sleeps.length > i, 'the next look');
      expect(sleeps[i]).toBe(delay);
      expect(s.health()).toMatchObject({ state: 'waiting', alive: false, detail: `waiting for ${path} to appear; looking again in ${delay}ms` });
      await manual.advance(delay);
    }
    const plain = make();
    const pulledPlain = plain.lines(ac.signal)[Symbol.asyncIterator]().next();
    await waitFor(() => plain.health().detail.startsWith(`waiting for ${path} to appear`), 'the second source waiting');
    expect(plain.health().state).toBe('waiting');
    ac.abort();
    await Promise.all([pulled, pulledPlain]);
  });

  test('events of other files in the directory are not the log\'s: a delete + recreate after them counts no file lost', async () => {
    const w = countingWatch();
    const r = await rig(dir, { watch: w.watch });
    r.write(2);
    await r.catchUp(2);
    const other = join(dir, 'other.log');
    for (let i = 0; i < 3; i++) {
      writeFileSync(other, 'x\n');
      unlinkSync(other);
    }
    await waitFor(() => w.count('rename', 'other.log') >= 6, 'the other file\'s events delivered');
    unlinkSync(r.path);
    r.write(1);
    await r.catchUp(3);
    expect(r.got).toEqual(everyLine(3));
    expect(r.telemetry.counts.fileSkips.unopened).toBe(0);
    expect(r.logger.records.filter((x) => x.level === 'warn')).toEqual([]);
    expect(r.logger.records).toContainEqual(expect.objectContaining({ level: 'info', msg: 'log file rotated, reading the next one', path: r.path, waiting: 1 }));
  });

  test('appended, then truncated before it was read (no rotated copy): the unread bytes, known from the write event, are counted and logged as lost', async () => {
    const w = countingWatch();
    const r = await rig(dir, { watch: w.watch });
    r.write(3);
    await r.catchUp(3);
    const before = w.count('change', 'app.log');
    const size = Buffer.byteLength(rfcLine('line 3')) * 5;
    r.write(5);
    await waitFor(() => w.count('change', 'app.log') > before, 'the write event delivered');
    truncateSync(r.path, 0);
    r.write(1);
    await r.catchUp(4);
    expect(r.got).toEqual([0, 1, 2, 8]);
    expect(r.telemetry.counts.fileSkips.truncated).toBe(1);
    const lost = r.logger.records.find((x) => x.msg.startsWith('log file truncated before it was read to the end'));
    expect(lost).toMatchObject({ level: 'warn', path: r.path, unreadBytes: size });
  });

  test('truncated and rewritten shorter with the same first KiB: seen by its size, read again from the start', async () => {
    const r = await rig(dir);
    const stamp = new Date(Date.now() - 1000).toISOString();
    const lines = (n: number): string => everyLine(n).map((i) => `${stamp} node-1 app: line ${i}\n`).join('');
    writeFileSync(r.path, lines(40));
    expect(Buffer.byteLength(lines(30))).toBeGreaterThan(1024);
    await r.catchUp(40);
    writeFileSync(r.path, lines(30));
    await r.catchUp(70);
    expect(r.got).toEqual([...everyLine(40), ...everyLine(30)]);
    expect(r.telemetry.counts.fileRotations.truncated).toBe(1);
    // Everything was read before the truncation: nothing counted or logged as lost.
    expect(r.telemetry.counts.fileSkips.truncated).toBe(0);
    expect(r.logger.records.filter((x) => x.level === 'warn')).toEqual([]);
  });

  test('stopped while a rotated-in file is held: every file it opened is closed', async () => {
    const r = await rig(dir);
    r.write(2);
    await r.catchUp(2);
    renameSync(r.path, `${r.path}.1`);
    r.write(1);
    await r.holding(2);
    await r.stop();
    expect(await countOpenFdsUnder(dir)).toBe(0);
  });

  test('watch: false polls without warning that the watch is unavailable', async () => {
    const r = await rig(dir, { watch: false });
    r.write(2);
    await r.catchUp(2);
    r.write(1);
    await r.catchUp(3);
    expect(r.got).toEqual(everyLine(3));
    expect(r.logger.records.filter((x) => x.level === 'warn')).toEqual([]);
    // Up once: later reads do not report the state again.
    expect(r.logger.records.filter((x) => x.msg === 'source up' || x.msg === 'source retrying')).toHaveLength(1);
  });

  test('a line over maxLineChars is cut, and the warning names the file and the limit', async () => {
    const r = await rig(dir, { maxLineChars: 100 });
    writeFileSync(r.path, rfcLine(`${'x'.repeat(200)} line 0`) + rfcLine('line 1'));
    await r.catchUp(2);
    expect(r.got[1]).toBe(1);
    expect(r.logger.records).toContainEqual(expect.objectContaining({ level: 'warn', msg: 'line too long, cut', path: r.path, maxChars: 100 }));
  });

  test('timeZone: a timestamp without an offset is read in that zone', async () => {
    const path = join(dir, 'tz.log');
    const now = Math.floor(Date.now() / 1000) * 1000;
    const tokyo = new Date(now + 9 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
    writeFileSync(path, `${tokyo} app: hello\n`);
    const s = createFilelogSource(
      { plugin: 'filelog', file: 'app-monitor.json', source: 'app', logPath: path, lookbackMs: 3_600_000, delayMs: 0,
        pluginConfig: { timestamp: '^.{19}', message: 'app: (.*)', timestampFormat: '2006-01-02 15:04:05' } },
      { clock: createManualClock(now), logger: createMemoryLogger(), telemetry: createRecordingTelemetry(), bootTimeMs: 0, random: () => 0.5 },
      { timeZone: 'Asia/Tokyo', watch: false },
    );
    const ac = new AbortController();
    const it = s.lines(ac.signal)[Symbol.asyncIterator]();
    const line = (await it.next()).value as LogLine;
    expect(line.message).toBe('hello');
    expect(line.time.getTime()).toBe(now);
    ac.abort();
    await it.return?.(undefined);
  });
});
