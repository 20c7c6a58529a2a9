/** The shipped ps-hang and csi-hang monitors: a hung process gives the Node's event and one on its Pod. */
import { join } from 'node:path';
import { readMonitorFile } from '../../src/config/load-monitor.js';
import { createManualClock } from '../../src/core/clock.js';
import type { Status } from '../../src/core/problem.js';
import { createProbeMonitor } from '../../src/monitors/probe-monitor.js';
import { createPodDirectory } from '../../src/pods/pod-directory.js';
import { probeRegistry } from '../../src/probes/registry.js';
import { repoRoot } from '../helpers/cli.js';
import { fixtureContainersLogDir, fixturePodsLogDir } from '../pods/oom-fixtures.js';
import { createTestContext, procFixture } from '../probes/probe-context.js';

test.each([
  ['ps-hang-monitor.json', 'PSProcessIsHung', ['csi-plugin-8xk2d', 'trainer-0']],
  ['csi-hang-monitor.json', 'CSIProcessIsHung', ['csi-plugin-8xk2d']],
])('%s: after 2 minutes in D, a %s event on the Node and on each Pod', async (file, reason, podNames) => {
  const config = await readMonitorFile(join(repoRoot, 'monitors', file), { probeNames: Object.keys(probeRegistry) });
  const clock = createManualClock();
  const pods = createPodDirectory({ podsLogDir: fixturePodsLogDir, containersLogDir: fixtureContainersLogDir });
  const ctx = createTestContext({ procRoot: procFixture('hung-d-state'), clock, pods });
  const statuses: Status[] = [];
  const stop = new AbortController();
  if (config.kind !== 'probe') throw new Error('not a probe monitor');
  const done = createProbeMonitor(config, { ctx }).run((s) => statuses.push(s), stop.signal);
  for (let i = 0; i < 5; i++) await clock.advance(30_000);
  stop.abort();
  await clock.advance(0);
  await done;
  const events = statuses.flatMap((s) => s.events);
  expect(events.length).toBeGreaterThan(0);
  const first = events.filter((e) => e.time.getTime() === events[0]!.time.getTime());
  expect(first.every((e) => e.reason === reason && e.severity === 'warn')).toBe(true);
  expect(first.filter((e) => e.pod === undefined)).toHaveLength(1);
  expect(first.flatMap((e) => (e.pod ? [e.pod.name] : []))).toEqual(podNames);
  // Not before two minutes of rounds (rounds at 0 s, 30 s … the third spanning 2 minutes is at 120 s).
  expect(events[0]!.time.getTime() - (clock.now() - 150_000)).toBeGreaterThanOrEqual(120_000);
});
