/**
 * Coalesced reads: in a flood the filelog source reads a file at most once per `coalesceMs` (a
 * flood costs ten reads a second, not one per append); a few lines a second, or a line after a
 * quiet spell, are read at once. Time is a manual clock; the wake-ups are real inotify events.
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createManualClock } from '../../src/core/clock.js';
import type { Clock } from '../../src/core/clock.js';
import { everyLine, rfcLine, rig } from '../helpers/filelog-rig.js';
import { waitFor } from '../helpers/wait.js';

/** A reader with a 100 ms coalescing interval (given, or the default) on a manual clock whose sleeps are recorded. */
async function setup(dir: string, coalesce: { coalesceMs?: number } = { coalesceMs: 100 }) {
  const manual = createManualClock(Date.now());
  const asked: number[] = [];
  const clock: Clock = { now: manual.now, sleep: (ms, signal) => (asked.push(ms), manual.sleep(ms, signal)) };
  // A poll of an hour: only inotify (or the coalescing pause) wakes the reader.
  const r = await rig(dir, { clock, pollMs: 3_600_000, ...coalesce });
  let sleeps = 0;
  return {
    r, manual,
    /** Pulls until `lines` were seen; resolves once the reader has asked for another sleep after that. */
    async readUpTo(lines: number): Promise<void> {
      await r.catchUp(lines);
      sleeps = asked.length;
    },
    /** The sleep the reader asked for after the last readUpTo (it runs on when pulled). */
    nextSleep: async (): Promise<number> => {
      await waitFor(() => asked.length > sleeps, 'the reader asking for a sleep');
      return asked[sleeps] as number;
    },
  };
}

describe('filelog coalesced reads', () => {
  let dir: string;
  beforeEach(async () => void (dir = await mkdtemp(join(tmpdir(), 'npd-coalesce-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  test.each([['given', { coalesceMs: 100 }], ['the default', {}]])('appends 10 ms apart (interval %s): the next read waits 100 ms after the last, whatever inotify says, and takes all', async (_name, coalesce) => {
    const { r, manual, readUpTo, nextSleep } = await setup(dir, coalesce);
    r.write(1);
    await readUpTo(1); // t = 0
    const second = readUpTo(2);
    expect(await nextSleep()).toBe(3_600_000); // at the end of the file, waiting for inotify
    await manual.advance(10);
    r.write(1);
    await second; // t = 10: two reads 10 ms apart
    let pulled = false;
    const rest = readUpTo(4).then(() => void (pulled = true));
    expect(await nextSleep()).toBe(100);
    r.write(2);
    await manual.advance(99);
    expect(pulled).toBe(false);
    await manual.advance(1);
    await rest;
    expect(r.got).toEqual(everyLine(4));
  });

  // The bounds: a read of 4096 bytes or more less than 200 ms after the last, or of any size less than 20 ms after.
  test.each([
    [150, 4096, 100],
    [150, 4095, 3_600_000],
    [199, 5000, 100],
    [200, 5000, 3_600_000],
    [250, 5000, 3_600_000],
    [19, 100, 100],
    [20, 100, 3_600_000],
  ])('a read %i ms after the last that found %i bytes: the next sleep is %i ms', async (gapMs, bytes, sleep) => {
    const { r, manual, readUpTo, nextSleep } = await setup(dir);
    const line = (n: number, size: number): string => rfcLine(`${'x'.repeat(size - rfcLine(` line ${n}`).length)} line ${n}`);
    writeFileSync(r.path, line(0, 100));
    await readUpTo(1);
    const read = readUpTo(2);
    expect(await nextSleep()).toBe(3_600_000);
    await manual.advance(gapMs);
    appendFileSync(r.path, line(1, bytes));
    await read;
    const after = readUpTo(3);
    expect(await nextSleep()).toBe(sleep);
    appendFileSync(r.path, line(2, 100));
    await manual.advance(sleep);
    await after;
    expect(r.got).toEqual(everyLine(3));
  });

  test('4 KiB or more in one read less than 200 ms after the last: the next read waits', async () => {
    const { r, manual, readUpTo, nextSleep } = await setup(dir);
    r.write(1);
    await readUpTo(1);
    const burst = readUpTo(101);
    await nextSleep();
    await manual.advance(150);
    r.write(100); // ~5 KB
    await burst;
    const next = readUpTo(102);
    expect(await nextSleep()).toBe(100);
    r.write(1);
    await manual.advance(100);
    await next;
    expect(r.got).toEqual(everyLine(102));
  });

  test('single lines 50 ms apart (detection-latency trials) and a line after a quiet spell: each read as soon as inotify reports it', async () => {
    const { r, manual, readUpTo, nextSleep } = await setup(dir);
    r.write(1);
    await readUpTo(1);
    for (let i = 2; i <= 6; i++) {
      const next = readUpTo(i);
      expect(await nextSleep()).toBe(3_600_000);
      await manual.advance(i === 6 ? 10_000 : 50);
      r.write(1); // no clock advance needed: inotify alone delivers it
      await next;
    }
    expect(r.got).toEqual(everyLine(6));
  });
});
