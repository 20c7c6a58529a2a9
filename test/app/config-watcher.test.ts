/**
 * The config watcher on a manual clock: the 30 s content poll (the fallback where inotify is not
 * available: here the directory does not exist when watching starts, so only the poll can see it),
 * an edit made while a reload runs, and an edit made between loading and watching.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { snapshotFiles, watchConfigFiles } from '../../src/app/config-watcher.js';
import { createManualClock } from '../../src/core/clock.js';
import { createMemoryLogger } from '../../src/core/logger.js';
import { waitFor } from '../helpers/wait.js';

function setup(onChange: (call: number) => void | Promise<void> = () => {}, before?: { readonly written: string; readonly loaded: string }) {
  const root = mkdtempSync(join(tmpdir(), 'npd-watch-'));
  const dir = join(root, 'later');
  const file = join(dir, 'monitor.json');
  if (before) {
    mkdirSync(dir);
    writeFileSync(file, before.written);
  }
  const baselineFile = before ? new Map([[file, before.loaded]]) : undefined;
  const clock = createManualClock();
  const logger = createMemoryLogger();
  const controller = new AbortController();
  let calls = 0;
  const done = watchConfigFiles({
    files: () => [file],
    onChange: async () => {
      calls++;
      await onChange(calls);
    },
    clock,
    logger,
    signal: controller.signal,
    ...(baselineFile ? { baseline: baselineFile } : {}),
  });
  return {
    dir, file, clock, logger,
    calls: () => calls,
    write(text: string) {
      mkdirSync(dir, { recursive: true });
      writeFileSync(file, text);
    },
    async stop() {
      controller.abort();
      await done;
    },
  };
}

test('without inotify, a change is seen by the content poll every 30 s, not before', async () => {
  const w = setup();
  try {
    await waitFor(() => w.clock.pending() === 1, 'the watcher to sleep');
    expect(w.logger.records.filter((r) => r.msg === 'config watch unavailable; polling only')).toHaveLength(1);
    w.write('{"v":1}');
    await w.clock.advance(29_999);
    expect(w.calls()).toBe(0);
    await w.clock.advance(1);
    await waitFor(() => w.calls() === 1, 'the reload at 30 s');
    // Unchanged files are not reloaded again.
    await w.clock.advance(30_000);
    await waitFor(() => w.clock.pending() >= 1, 'the next poll');
    expect(w.calls()).toBe(1);
  } finally {
    await w.stop();
  }
});

test('an edit that lands while a reload runs is loaded by another reload', async () => {
  let w: ReturnType<typeof setup> | undefined;
  w = setup((call) => {
    // The reload has read version 1; the operator saves version 2 before it finishes.
    if (call === 1) w!.write('{"v":2}');
  });
  try {
    await waitFor(() => w.clock.pending() === 1, 'the watcher to sleep');
    w.write('{"v":1}');
    await w.clock.advance(30_000);
    await waitFor(() => w!.calls() === 1, 'the first reload');
    await w.clock.advance(30_000);
    await waitFor(() => w!.calls() === 2, 'the reload of the edit made during the first');
  } finally {
    await w.stop();
  }
});

test('an edit made after the files were loaded but before watching began is a change', async () => {
  const w = setup(() => {}, { loaded: '{"v":0}', written: '{"v":1}' });
  try {
    await w.clock.advance(30_000);
    await waitFor(() => w.calls() === 1, 'the reload');
  } finally {
    await w.stop();
  }
});

test('snapshotFiles reads each file, a missing one as <ENOENT>', async () => {
  const root = mkdtempSync(join(tmpdir(), 'npd-watch-'));
  writeFileSync(join(root, 'a.json'), 'A');
  const snap = await snapshotFiles([join(root, 'a.json'), join(root, 'b.json')]);
  expect([...snap]).toEqual([[join(root, 'a.json'), 'A'], [join(root, 'b.json'), '<ENOENT>']]);
});

test('with inotify, a file event reloads after the 500 ms debounce, long before the 30 s poll', async () => {
  const root = mkdtempSync(join(tmpdir(), 'npd-watch-'));
  const file = join(root, 'monitor.json');
  writeFileSync(file, '{"v":0}');
  const clock = createManualClock();
  const logger = createMemoryLogger();
  const controller = new AbortController();
  let calls = 0;
  const done = watchConfigFiles({ files: () => [file], onChange: async () => void calls++, clock, logger, signal: controller.signal });
  try {
    await waitFor(() => clock.pending() === 1, 'the watcher to sleep');
    writeFileSync(file, '{"v":1}');
    // The event wakes the watcher, which sleeps the debounce beside the poll's sleep.
    await waitFor(() => clock.pending() === 2, 'the debounce after the file event');
    expect(calls).toBe(0);
    let advanced = 0;
    while (calls === 0 && advanced < 10_000) {
      await clock.advance(500);
      advanced += 500;
      await waitFor(() => calls === 1 || clock.pending() === 2, 'the reload or another debounce');
    }
    expect(calls).toBe(1);
    expect(advanced).toBeLessThan(30_000);
    expect(logger.records.filter((r) => r.level === 'warn')).toEqual([]);
  } finally {
    controller.abort();
    await done;
  }
});

test('a file the reload adds is compared from its content then: it is not reloaded again unchanged', async () => {
  const root = mkdtempSync(join(tmpdir(), 'npd-watch-'));
  const first = join(root, 'later', 'a.json'); // its directory does not exist yet: the poll sees it
  const added = join(root, 'b.json');
  writeFileSync(added, 'B');
  let files = [first];
  const clock = createManualClock();
  const controller = new AbortController();
  let calls = 0;
  const done = watchConfigFiles({
    files: () => files,
    onChange: async () => {
      calls++;
      files = [first, added]; // the profile now names a second file
    },
    clock,
    logger: createMemoryLogger(),
    signal: controller.signal,
  });
  try {
    await waitFor(() => clock.pending() === 1, 'the watcher to sleep');
    mkdirSync(join(root, 'later'));
    writeFileSync(first, 'A');
    await clock.advance(30_000);
    await waitFor(() => calls === 1, 'the reload');
    await waitFor(() => clock.pending() === 1, 'the next poll');
    await clock.advance(30_000);
    await waitFor(() => clock.pending() === 1, 'the poll after');
    expect(calls).toBe(1);
    writeFileSync(added, 'B2');
    await clock.advance(30_000);
    await waitFor(() => calls === 2, 'the reload of the added file');
  } finally {
    controller.abort();
    await done;
  }
});

test('a directory that cannot be watched is logged with its path and the reason', async () => {
  const w = setup();
  try {
    await waitFor(() => w.clock.pending() === 1, 'the watcher to sleep');
    const warned = w.logger.records.filter((r) => r.msg === 'config watch unavailable; polling only');
    expect(warned).toEqual([expect.objectContaining({ level: 'warn', dir: w.dir, error: expect.stringContaining('ENOENT') })]);
  } finally {
    await w.stop();
  }
});

/** A second watch on `dir`: libuv delivers a directory's events to every watch of it in the same turn. */
function eventCounter(dir: string) {
  let seen = 0;
  const w = watch(dir, () => void seen++);
  return { seen: () => seen, close: () => w.close() };
}

/** Resolves after the watcher under test has had the file event of a write made now. */
async function writeAndDeliver(events: ReturnType<typeof eventCounter>, file: string, text: string): Promise<void> {
  const before = events.seen();
  writeFileSync(file, text);
  await waitFor(() => events.seen() > before, 'the file event');
  await new Promise<void>((r) => setImmediate(r));
}

/** A watched file with inotify, a second watch to know when its events were delivered, and a manual clock. */
function watchedFile(onChange: (call: number) => Promise<void> = async () => {}) {
  const root = mkdtempSync(join(tmpdir(), 'npd-watch-'));
  const file = join(root, 'monitor.json');
  writeFileSync(file, '{"v":0}');
  const events = eventCounter(root);
  const clock = createManualClock();
  const controller = new AbortController();
  let calls = 0;
  const done = watchConfigFiles({ files: () => [file], onChange: () => onChange(++calls), clock, logger: createMemoryLogger(), signal: controller.signal });
  return {
    file, events, clock,
    calls: () => calls,
    async stop() {
      events.close();
      controller.abort();
      await done;
    },
  };
}

test('events that keep coming during the debounce put the reload off until they stop', async () => {
  const w = watchedFile();
  try {
    await waitFor(() => w.clock.pending() === 1, 'the watcher to sleep');
    await writeAndDeliver(w.events, w.file, '{"v":1}');
    await waitFor(() => w.clock.pending() === 2, 'the debounce after the first event');
    await w.clock.advance(400);
    await writeAndDeliver(w.events, w.file, '{"v":2}');
    // The first debounce ends 100 ms later; an event came during it, so the watcher waits again.
    await w.clock.advance(100);
    await waitFor(() => w.calls() === 1 || w.clock.pending() === 2, 'a reload or another debounce');
    expect(w.calls()).toBe(0);
    await w.clock.advance(500);
    await waitFor(() => w.calls() === 1, 'the reload once the events stopped');
  } finally {
    await w.stop();
  }
});

test('an event that came while a reload ran is debounced at once, not left to the 30 s poll', async () => {
  // The operator saves again while the first reload runs; the watcher sees the event before it ends.
  const w: ReturnType<typeof watchedFile> = watchedFile(async (call) => {
    if (call === 1) await writeAndDeliver(w.events, w.file, '{"v":2}');
  });
  try {
    await waitFor(() => w.clock.pending() === 1, 'the watcher to sleep');
    await writeAndDeliver(w.events, w.file, '{"v":1}');
    await waitFor(() => w.clock.pending() === 2, 'the debounce after the first event');
    await w.clock.advance(500);
    // After the first reload the watcher sleeps again beside the first poll's sleep, still 29.5 s away.
    await waitFor(() => w.calls() === 1 && w.clock.pending() === 2, 'the first reload and the next wait');
    await w.clock.advance(500);
    await waitFor(() => w.calls() === 2 || w.clock.pending() === 2, 'a reload or another wait');
    expect(w.calls()).toBe(2);
  } finally {
    await w.stop();
  }
});

test('a change made just before stopping is not loaded after stop', async () => {
  const w = setup();
  await waitFor(() => w.clock.pending() === 1, 'the watcher to sleep');
  w.write('{"v":1}');
  await w.stop();
  expect(w.calls()).toBe(0);
});

/** Inotify watches this process holds on `dir` (the `inotify wd:` lines of /proc/self/fdinfo name the inode). */
function inotifyWatchesOn(dir: string): number {
  const ino = ` ino:${statSync(dir).ino.toString(16)} `;
  let count = 0;
  for (const fd of readdirSync('/proc/self/fdinfo')) {
    try {
      count += readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8').split('\n').filter((l) => l.startsWith('inotify wd:') && l.includes(ino)).length;
    } catch {
      // An fd closed while listing.
    }
  }
  return count;
}

test('stopping releases the directory watch (inotify watches are a per-user limit the node shares)', async () => {
  const root = mkdtempSync(join(tmpdir(), 'npd-watch-'));
  const file = join(root, 'monitor.json');
  writeFileSync(file, '{"v":0}');
  const clock = createManualClock();
  const controller = new AbortController();
  const done = watchConfigFiles({ files: () => [file], onChange: async () => {}, clock, logger: createMemoryLogger(), signal: controller.signal });
  await waitFor(() => clock.pending() === 1, 'the watcher to sleep');
  expect(inotifyWatchesOn(root)).toBe(1);
  controller.abort();
  await done;
  expect(inotifyWatchesOn(root)).toBe(0);
});
