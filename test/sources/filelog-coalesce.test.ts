/**
 * Coalesced reads: while lines keep coming, the filelog source reads a file at most once per
 * `coalesceMs` (a flood costs a few reads a second, not one per append); a line after a quiet
 * spell is read at once. Time is a manual clock; the wake-ups are real inotify events.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createManualClock } from '../../src/core/clock.js';
import type { Clock } from '../../src/core/clock.js';
import { everyLine, rig } from '../helpers/filelog-rig.js';
import { waitFor } from '../helpers/wait.js';

describe('filelog coalesced reads', () => {
  let dir: string;
  beforeEach(async () => void (dir = await mkdtemp(join(tmpdir(), 'npd-coalesce-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  test('a second append within twice coalesceMs of the first is read only coalesceMs after it; after a quiet spell at once', async () => {
    const manual = createManualClock(Date.now());
    const asked: number[] = [];
    const clock: Clock = { now: manual.now, sleep: (ms, signal) => (asked.push(ms), manual.sleep(ms, signal)) };
    // A poll of an hour: only inotify (or the coalescing pause) wakes the reader.
    const r = await rig(dir, { clock, pollMs: 3_600_000, coalesceMs: 100 });
    r.write(1);
    await r.catchUp(); // read at t = 0
    let pulled = false;
    const second = r.catchUp(2).then(() => void (pulled = true));
    await waitFor(() => asked.includes(3_600_000), 'the reader waiting at the end of the file');
    await manual.advance(30);
    r.write(1); // woken by inotify, read at t = 30: lines keep coming
    await second;
    expect(pulled).toBe(true);
    const third = r.catchUp(3).then(() => void (pulled = true));
    pulled = false;
    await waitFor(() => asked.includes(100), 'the reader pausing for 100 ms');
    r.write(1);
    await manual.advance(99);
    expect(pulled).toBe(false); // the append waits for the pause, whatever inotify says
    await manual.advance(1);
    await third;
    expect(r.got).toEqual(everyLine(3));
    // t = 130: the third read came 100 ms after the second, so the next one pauses too; then nothing
    // for a second, and the next line is read as soon as inotify reports it.
    const fourth = r.catchUp(4);
    await manual.advance(1_000);
    r.write(1);
    await fourth;
    expect(r.got).toEqual(everyLine(4));
  });
});
