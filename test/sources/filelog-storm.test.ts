/**
 * Rotation storms faster than the reader, driven step by step: inotify events are held back (a
 * fake fs.watch fires them when the test says, as a late event loop would see them) or the reader
 * is stopped in the middle of a recovery; every line must arrive once, and what cannot be read
 * must be counted (`npd_source_file_skips_total`) and logged.
 */
import { EventEmitter } from 'node:events';
import { copyFileSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import type { FSWatcher, WatchListener } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WatchFn } from '../../src/sources/filelog-wake.js';
import { everyLine, rig } from '../helpers/filelog-rig.js';

/** An fs.watch whose events the test fires by hand. */
function heldEvents() {
  let listener: WatchListener<string> | undefined;
  const watch: WatchFn = (_dir, _options, l) => {
    listener = l;
    const w = new EventEmitter() as unknown as FSWatcher;
    w.close = () => {};
    return w;
  };
  return { watch, fire: (file: string, times = 1) => { for (let i = 0; i < times; i++) listener?.('rename', file); } };
}

const range = (from: number, to: number): number[] => everyLine(to - from).map((i) => i + from);
const lostWarnings = (records: readonly Record<string, unknown>[]) =>
  records.filter((l) => l['msg'] === 'log files created and removed before they could be opened: their lines are lost').map((l) => l['files']);

describe('filelog in a rotation storm faster than the event loop', () => {
  let dir: string;
  beforeEach(async () => void (dir = await mkdtemp(join(tmpdir(), 'npd-storm-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  test('delete + recreate twice before the events are seen: the file in between is lost, counted and warned; the others are read once', async () => {
    const events = heldEvents();
    const r = await rig(dir, { watch: events.watch });
    r.write(30);
    await r.catchUp();
    r.write(20); // the deleted file's last lines: still readable through the open fd
    rmSync(r.path);
    r.write(25); // B: created and deleted before the source could open it
    rmSync(r.path);
    r.write(40); // C
    events.fire('app.log', 4); // delete, create, delete, create: seen only now, all at once
    await r.holding(2);
    await r.catchUp(r.written() - 25);
    expect(r.got).toEqual([...range(0, 50), ...range(75, 115)]);
    await r.expectNothingMore();
    expect(r.telemetry.counts.fileSkips).toEqual({ truncated: 0, 'too-many-files': 0, unopened: 1 });
    expect(r.telemetry.counts.fileRotations.renamed).toBe(1);
    expect(lostWarnings(r.logger.records)).toEqual([1]);
  });

  test('rename twice (once an empty file) before the events are seen: the files in between are read under their new names, nothing counted lost', async () => {
    const events = heldEvents();
    const r = await rig(dir, { watch: events.watch });
    r.write(30);
    await r.catchUp();
    r.write(20);
    renameSync(r.path, `${r.path}.1`);
    r.write(25); // B
    renameSync(r.path, `${r.path}.2`);
    writeFileSync(r.path, ''); // D: empty, rotated away too
    renameSync(r.path, `${r.path}.3`);
    r.write(40); // C
    events.fire('app.log', 6);
    await r.holding(2);
    await r.catchUp();
    expect(r.got).toEqual(everyLine(r.written()));
    await r.expectNothingMore();
    expect(r.telemetry.counts.fileSkips).toEqual({ truncated: 0, 'too-many-files': 0, unopened: 0 });
    expect(r.telemetry.counts.fileRotations.renamed).toBe(2);
    expect(lostWarnings(r.logger.records)).toEqual([]);
  });

  test('delete + recreate with every event seen in time, then an event too many (a file moved over the name): nothing counted lost', async () => {
    const events = heldEvents();
    const r = await rig(dir, { watch: events.watch });
    r.write(30);
    await r.catchUp();
    for (let i = 0; i < 3; i++) {
      rmSync(r.path);
      events.fire('app.log');
      r.write(10);
      events.fire('app.log');
      await r.holding(2);
      await r.catchUp();
    }
    writeFileSync(join(dir, 'next'), '');
    renameSync(join(dir, 'next'), r.path); // one event, no delete of the file it replaced
    events.fire('app.log');
    r.write(10);
    await r.catchUp();
    expect(r.got).toEqual(everyLine(r.written()));
    await r.expectNothingMore();
    expect(r.telemetry.counts.fileSkips.unopened).toBe(0);
  });

  test('copytruncate again while the reader recovers the previous one: the truncation is still seen, the second copy read, every line once', async () => {
    const r = await rig(dir);
    r.write(30);
    await r.catchUp();
    r.write(40);
    copyFileSync(r.path, `${r.path}.1`);
    truncateSync(r.path, 0);
    r.write(10); // generation 2
    await r.catchUp(70); // stopped while yielding the first copy's lines
    copyFileSync(r.path, `${r.path}.2`);
    truncateSync(r.path, 0);
    r.write(5); // generation 3, shorter than 2: only its first bytes tell
    await r.catchUp();
    expect(r.got).toEqual(everyLine(r.written()));
    await r.expectNothingMore();
    expect(r.telemetry.counts.fileRotations).toEqual({ renamed: 0, truncated: 2 });
    expect(r.telemetry.counts.fileSkips.truncated).toBe(0);
  });

  test('copytruncate seen while the file was empty, then a generation copied and truncated before any of it was read: read from its copy first', async () => {
    const r = await rig(dir);
    r.write(30);
    await r.catchUp();
    r.write(40);
    copyFileSync(r.path, `${r.path}.1`);
    truncateSync(r.path, 0); // empty when the reader sees it
    await r.catchUp(70); // stopped while yielding the first copy's lines
    r.write(20); // generation 2: never seen in the file
    copyFileSync(r.path, `${r.path}.2`);
    truncateSync(r.path, 0);
    r.write(10); // generation 3
    await r.catchUp();
    expect(r.got).toEqual(everyLine(r.written()));
    await r.expectNothingMore();
    expect(r.telemetry.counts.fileRotations).toEqual({ renamed: 0, truncated: 2 });
    expect(r.telemetry.counts.fileSkips.truncated).toBe(0);
  });

  test('70 copytruncates before the reader reads, more than it lists at once: every copy read, every line once', async () => {
    const r = await rig(dir);
    r.write(30);
    await r.catchUp();
    for (let i = 1; i <= 70; i++) {
      r.write(2);
      copyFileSync(r.path, `${r.path}.${i}`);
      truncateSync(r.path, 0);
    }
    r.write(5);
    await r.catchUp();
    // Copies made within one tick of the filesystem's clock may be read in another order.
    expect([...r.got].sort((a, b) => a - b)).toEqual(everyLine(r.written()));
    await r.expectNothingMore();
    expect(r.telemetry.counts.fileRotations.truncated).toBe(70);
    expect(r.telemetry.counts.fileSkips.truncated).toBe(0);
  });
});
