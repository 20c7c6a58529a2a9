/**
 * `npd_pod_oom_kills_total` from the running agent (src/app/run.ts gives the Prometheus exporter the
 * run's clock and the kubelet's pod directory): a pod's series stays while its log directory exists
 * and goes 5 minutes after the directory is gone, so /metrics does not grow with every pod a node
 * ever ran. In-process from a command line (test/helpers/agent-harness.ts) on a manual clock, real OOM
 * reports from test/fixtures/oom in a kern.log, a copy of the fixture's kubelet log directories.
 */
import { appendFileSync, cpSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createManualClock } from '../../src/core/clock.js';
import { parseKmsgRecord } from '../../src/sources/kmsg-parser.js';
import { startAgent, tempDir } from '../helpers/agent-harness.js';
import { kernLogMonitor, oomRule, procRoot } from '../helpers/monitor-files.js';
import { kernLogLine } from '../helpers/syslog.js';
import { waitFor } from '../helpers/wait.js';
import { oomFixture } from '../pods/oom-fixtures.js';

const tmp = tempDir('npd-pod-metrics-');

test('a pod\'s OOM-kill series leaves /metrics 5 minutes after the pod\'s log directory is gone', async () => {
  const varLog = join(tmp.dir, 'var-log');
  cpSync(oomFixture('var-log'), varLog, { recursive: true, verbatimSymlinks: true });
  const kernLog = tmp.write('kern.log', '');
  const monitor = tmp.write('kernel.json', kernLogMonitor(kernLog, { rules: [oomRule] }));
  const clock = createManualClock(Date.now());
  const agent = await startAgent(
    ['--standalone', '--no-reload', `--config.system-log-monitor=${monitor}`, `--proc-path=${procRoot('oom-kept-running', tmp.dir)}`, `--pods-log-dir=${join(varLog, 'pods')}`, `--containers-log-dir=${join(varLog, 'containers')}`],
    { clock },
  );
  const series = async (): Promise<string[]> => (await agent.metrics()).split('\n').filter((l) => l.startsWith('npd_pod_oom_kills_total{')).map((l) => /pod="([^"]+)"/.exec(l)?.[1] ?? l);
  try {
    const messages = readFileSync(oomFixture('kmsg-burst-derived.log'), 'utf8').split('\n').filter((l) => l !== '').map((r) => parseKmsgRecord(r, 0)!.line.message);
    appendFileSync(kernLog, messages.map((m) => `${kernLogLine(m)}\n`).join(''));
    await waitFor(async () => (await series()).includes('metrics-server-5f9f776df5-x7k2p'), 'the metrics-server pod\'s OOM kill on /metrics');
    const before = await series();
    expect(agent.logs.find((r) => r.msg === 'npd-ts running')).toMatchObject({ podAttribution: 'on', podsLogDir: join(varLog, 'pods') });

    rmSync(join(varLog, 'pods', 'kube-system_metrics-server-5f9f776df5-x7k2p_fbdfe8e3-1c87-4ff2-907c-b2ec8e25d012'), { recursive: true });
    expect(await series()).toEqual(before); // gone from now on…
    await clock.advance(299_000);
    expect(await series()).toEqual(before); // …kept for a last scrape…
    await clock.advance(1_000);
    expect(await series()).toEqual(before.filter((p) => p !== 'metrics-server-5f9f776df5-x7k2p')); // …then removed
  } finally {
    await agent.stop();
  }
}, 60_000);
