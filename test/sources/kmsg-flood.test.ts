/**
 * The kmsg source in a flood (kmsg-pace.ts): between drains it waits on its clock instead of on the
 * device, takes all that came meanwhile in one batch, still counts every record lost, and goes back
 * to waiting on the device when the flood ends. A fake pollable device and a manual clock: no timing.
 */
import { createManualClock } from '../../src/core/clock.js';
import { createMemoryLogger } from '../../src/core/logger.js';
import { createKmsgSource } from '../../src/sources/kmsg.js';
import type { LogLine } from '../../src/sources/log-source.js';
import { fakeKmsgDevice, rec } from '../helpers/fake-kmsg.js';
import { createRecordingTelemetry } from '../helpers/recording-telemetry.js';

/** Records `from` … `to`, 85 characters each with the newline, as the footprint bench writes them. */
const records = (from: number, to: number): string[] =>
  Array.from({ length: to - from + 1 }, (_, i) => {
    const seq = from + i;
    return rec(seq, `usb 1-1: new high-speed USB device number ${seq} using xhci_hcd`.padEnd(84 - `6,${seq},${seq * 1000},-;`.length, '.'));
  });
const seqs = (batch: readonly LogLine[]): number[] => batch.map((l) => Number(/number (\d+)/.exec(l.message)?.[1]));
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** A source on a fake pollable device; `coalesceMs` 100 for the pacing figures below (the default is 30). */
function flood(coalesceMs: number | 'default' = 100) {
  const clock = createManualClock();
  const dev = fakeKmsgDevice([[]], true);
  const telemetry = createRecordingTelemetry();
  const source = createKmsgSource(
    { plugin: 'kmsg', file: 'kernel-monitor.json', source: 'kernel-monitor', logPath: '/dev/kmsg', lookbackMs: Number.POSITIVE_INFINITY, delayMs: 0, pluginConfig: {} },
    { clock, logger: createMemoryLogger(), telemetry, bootTimeMs: 0, random: () => 0.5 },
    coalesceMs === 'default' ? { open: dev.open } : { open: dev.open, coalesceMs },
  );
  const ac = new AbortController();
  if (!source.batches) throw new Error('the kmsg source yields batches');
  const it = source.batches(ac.signal)[Symbol.asyncIterator]();
  /** The next batch, and whether it has arrived yet. */
  const next = (): { batch: Promise<readonly LogLine[]>; arrived: () => boolean } => {
    let arrived = false;
    const batch = it.next().then((r) => ((arrived = true), r.value as readonly LogLine[]));
    return { batch, arrived: () => arrived };
  };
  /** 10 ms in, records 1–100 arrive at once (8,500 characters: a flood) and are read in one batch. */
  const begin = async (): Promise<void> => {
    const first = next();
    await clock.advance(10);
    expect(dev.waits()).toBe(1); // idle: waiting on the device, no timer
    expect(clock.pending()).toBe(0);
    for (const r of records(1, 100)) dev.push(r);
    expect(seqs(await first.batch)).toEqual(range(1, 100));
  };
  /** `quietMs` on, the reader waits on the device (its `waits`-th wait, no timer) and reads record `seq` when it comes. */
  const readsOnWake = async (seq: number, waits: number, quietMs = 200): Promise<void> => {
    const n = next();
    await clock.advance(quietMs);
    expect(n.arrived()).toBe(false);
    expect(clock.pending()).toBe(0);
    expect(dev.waits()).toBe(waits);
    dev.push(records(seq, seq)[0] as string);
    expect(seqs(await n.batch)).toEqual([seq]);
  };
  return { clock, dev, telemetry, next, begin, readsOnWake, stop: () => ac.abort() };
}

describe('kmsg source in a flood', () => {
  test('waits on the clock between drains, bounded by the ring, and takes what came meanwhile in one batch', async () => {
    const f = flood();
    await f.begin();

    const second = f.next();
    await f.clock.advance(0);
    expect(f.clock.pending()).toBe(1); // a paced wait, not the device
    for (const r of records(101, 300)) f.dev.push(r);
    const reads = f.dev.reads();
    await f.clock.advance(19); // woken from epoll: the first wait is coalesceMs / 5 = 20 ms
    expect(second.arrived()).toBe(false);
    expect(f.dev.reads()).toBe(reads);
    await f.clock.advance(1);
    expect(seqs(await second.batch)).toEqual(range(101, 300)); // one drain, one batch
    expect(f.dev.waits()).toBe(1);

    // 200 records in 20 ms: the next wait lets a quarter of the 128 KiB ring fill at that rate, 38 ms.
    const third = f.next();
    await f.clock.advance(0);
    for (const r of records(301, 500)) f.dev.push(r);
    await f.clock.advance(37);
    expect(third.arrived()).toBe(false);
    await f.clock.advance(1);
    expect(seqs(await third.batch)).toEqual(range(301, 500));

    // The flood ends: a drain finds nothing and the reader waits on the device again.
    await f.readsOnWake(501, 2);
    expect(f.telemetry.counts.linesRead).toBe(501);
    expect(f.telemetry.counts.kmsgLost).toBe(0);
    f.stop();
  });

  test('records overwritten during a paced wait are counted, and the next drain is not delayed', async () => {
    const f = flood();
    await f.begin();
    const second = f.next();
    await f.clock.advance(0);
    for (const r of records(150, 250)) f.dev.push(r); // 101–149 were overwritten in the ring
    await f.clock.advance(20);
    expect(seqs(await second.batch)).toEqual(range(150, 250));
    expect(f.telemetry.counts.kmsgLost).toBe(49);
    // After a gap: straight back to the device, no paced wait (8,585 characters would make one).
    await f.readsOnWake(251, 2, 0);
    f.stop();
  });

  test('by default a flood waits at most 30 ms between drains (the real ring holds ~250 ms of a 10,000 records/s flood)', async () => {
    const f = flood('default');
    await f.begin();
    const second = f.next();
    await f.clock.advance(0);
    for (const r of records(101, 160)) f.dev.push(r); // 60 records, 5,100 characters: still a flood
    await f.clock.advance(5); // woken from epoll: the first wait is 30 / 5 = 6 ms
    expect(second.arrived()).toBe(false);
    await f.clock.advance(1);
    expect(seqs(await second.batch)).toEqual(range(101, 160));
    // 850 characters a ms: a quarter of the 128 KiB ring would take 38 ms to fill; the wait is 30.
    const third = f.next();
    await f.clock.advance(0);
    for (const r of records(161, 220)) f.dev.push(r);
    await f.clock.advance(29);
    expect(third.arrived()).toBe(false);
    await f.clock.advance(1);
    expect(seqs(await third.batch)).toEqual(range(161, 220));
    expect(f.telemetry.counts.kmsgLost).toBe(0);
    f.stop();
  });

  test('coalesceMs 0: every drain waits on the device', async () => {
    const f = flood(0);
    await f.begin();
    await f.readsOnWake(101, 2, 0);
    f.stop();
  });
});
