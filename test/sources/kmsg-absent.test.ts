/** A kmsg path that does not exist (a container without /dev/kmsg): the source waits, and reads once it appears. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createManualClock } from '../../src/core/clock.js';
import { createMemoryLogger } from '../../src/core/logger.js';
import { createKmsgSource } from '../../src/sources/kmsg.js';
import { createRecordingTelemetry } from '../helpers/recording-telemetry.js';
import { waitFor } from '../helpers/wait.js';

test('a missing kmsg path is waiting (not failing, no restart counted) until it appears, then up and read', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'npd-kmsg-absent-'));
  const path = join(dir, 'kmsg');
  const clock = createManualClock(1_800_000_000_000);
  const telemetry = createRecordingTelemetry();
  const source = createKmsgSource(
    { plugin: 'kmsg', file: 'kernel-monitor.json', source: 'kernel-monitor', logPath: path, lookbackMs: Number.POSITIVE_INFINITY, delayMs: 0, pluginConfig: {} },
    { clock, logger: createMemoryLogger(), telemetry, bootTimeMs: 0, random: () => 0.5 },
    { pollMs: 20 },
  );
  const ac = new AbortController();
  const it = source.lines(ac.signal)[Symbol.asyncIterator]();
  const first = it.next();
  // The look at the path goes through the thread pool: on a loaded machine it takes a while.
  await waitFor(() => !source.health().detail.startsWith('starting'), 'the first look at the path');
  expect(source.health()).toMatchObject({ state: 'waiting', alive: false });
  expect(source.health().detail).toMatch(new RegExp(`^${path} does not exist; looking again in \\d+ms$`));
  expect(telemetry.counts.restarts).toBe(0);
  await writeFile(path, '6,1,5000000,-;hello\n');
  await clock.advance(300_000);
  expect((await first).value?.message).toBe('hello');
  expect(source.health().state).toBe('up');
  ac.abort();
  await it.return?.();
  await rm(dir, { recursive: true, force: true });
});
