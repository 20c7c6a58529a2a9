/**
 * The flags and wiring of a standalone agent, proven by their effect: the agent runs in-process
 * from a command line (test/helpers/agent-harness.ts) on temp kern.logs and real journal files,
 * with its real `/healthz`, `/conditions` and `/metrics` servers.
 */
import { appendFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startAgent, seriesValue, tempDir, type AgentUnderTest } from '../helpers/agent-harness.js';
import { appendJournal } from '../helpers/journal-files.js';
import { dockerHungLine, dockerHungRule, kernLogMonitor, oomLine, oomRule, procRoot, shippedMonitor } from '../helpers/monitor-files.js';
import { freePort } from '../helpers/net.js';
import { kernLogLine } from '../helpers/syslog.js';
import { waitFor } from '../helpers/wait.js';

const tmp = tempDir('npd-agent-flags-');
let n = 0;
const log = (file: string, message: string): void => appendFileSync(file, `${kernLogLine(message)}\n`);
/** A kern.log and its monitor file (extra fields merged into the monitor). */
function kernel(options: Parameters<typeof kernLogMonitor>[1] = {}): { kernLog: string; monitor: string } {
  const kernLog = tmp.write(`kern-${++n}.log`, '');
  return { kernLog, monitor: tmp.write(`kernel-${n}.json`, kernLogMonitor(kernLog, options)) };
}
async function standalone(args: string[], body: (agent: AgentUnderTest) => Promise<void>): Promise<AgentUnderTest> {
  const agent = await startAgent(['--standalone', ...args]);
  try {
    await body(agent);
  } finally {
    await agent.stop();
  }
  return agent;
}
const printed = (agent: AgentUnderTest, re: RegExp): string[] => agent.stdout.filter((l) => re.test(l));

test('--address/--port serve /healthz and /conditions there; --prometheus-address/--prometheus-port serve /metrics', async () => {
  const { kernLog, monitor } = kernel();
  const [port, promPort] = [await freePort(), await freePort()];
  await standalone([`--config.system-log-monitor=${monitor}`, '--address=127.0.0.1', `--port=${port}`, '--prometheus-address=127.0.0.1', `--prometheus-port=${promPort}`], async (agent) => {
    expect(agent.healthUrl).toBe(`http://127.0.0.1:${port}`);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    log(kernLog, dockerHungLine);
    await waitFor(async () => JSON.stringify(await (await fetch(`http://127.0.0.1:${port}/conditions`)).json()).includes('"status":"True"'), '/conditions True');
    const metrics = await (await fetch(`http://127.0.0.1:${promPort}/metrics`)).text();
    expect(metrics).toMatch(/^problem_gauge\{type="KernelDeadlock",reason="DockerHung"\} 1$/m);
    expect(await (await fetch(`http://127.0.0.1:${promPort}/healthz`)).text()).toMatch(/not found/);
  });
}, 60_000);

test('--port=0 and --prometheus-port=0 serve nothing', async () => {
  const { monitor } = kernel();
  await standalone([`--config.system-log-monitor=${monitor}`, '--port=0', '--prometheus-port=0'], async (agent) => {
    expect(agent.healthUrl).toBeUndefined();
    expect(agent.metricsUrl).toBeUndefined();
    expect(agent.logs.filter((r) => /listening|serving metrics/.test(r.msg))).toEqual([]);
  });
}, 60_000);

test('the run\'s telemetry is on /metrics: lines read, configuration reloads, the problem counters', async () => {
  const { kernLog, monitor } = kernel({ source: 'telemetry-monitor' });
  await standalone([`--config.system-log-monitor=${monitor}`], async (agent) => {
    for (let i = 0; i < 3; i++) log(kernLog, `an ordinary line ${i}`);
    log(kernLog, oomLine(7));
    await waitFor(() => printed(agent, /reason=OOMKilling/).length === 1, 'the OOMKilling event');
    await waitFor(async () => seriesValue(await agent.metrics(), 'npd_source_lines_read_total{source="telemetry-monitor"}') === 4, 'lines read = 4');
    const metrics = await agent.metrics();
    expect(seriesValue(metrics, 'problem_counter{reason="OOMKilling"}')).toBe(1);
    expect(seriesValue(metrics, 'npd_config_reloads_total{result="success"}')).toBe(0);
    expect(metrics).toMatch(/^npd_process_resident_memory_bytes \d+/m);
  });
}, 60_000);

test('metricsReporting: false keeps a monitor\'s problems off /metrics; recovery rules are not problems', async () => {
  const quiet = kernel({ source: 'quiet-monitor', extra: { metricsReporting: false, conditions: [] }, rules: [{ ...oomRule, reason: 'QuietOOM' }] });
  const recovering = kernel({
    source: 'recovering-monitor',
    rules: [dockerHungRule, { type: 'recovery', condition: 'KernelDeadlock', reason: 'DockerRecovered', pattern: 'docker is fine again' }],
  });
  await standalone([`--config.system-log-monitor=${quiet.monitor},${recovering.monitor}`], async (agent) => {
    log(quiet.kernLog, oomLine(9));
    log(recovering.kernLog, dockerHungLine);
    log(recovering.kernLog, 'docker is fine again');
    const recovered = (): boolean => {
      const lines = printed(agent, /condition recovering-monitor type=KernelDeadlock/);
      return lines.some((l) => l.includes('status=True')) && lines.at(-1)?.includes('status=False') === true;
    };
    await waitFor(() => printed(agent, /reason=QuietOOM/).length === 1 && recovered(), 'the event and the recovery');
    const metrics = await agent.metrics();
    expect(metrics).not.toContain('QuietOOM');
    expect(metrics).not.toContain('DockerRecovered');
    expect(seriesValue(metrics, 'problem_counter{reason="DockerHung"}')).toBe(1);
    expect(seriesValue(metrics, 'problem_gauge{type="KernelDeadlock",reason="DockerHung"}')).toBe(0);
  });
}, 60_000);

test('the console prints a condition once, not again for every line that repeats it', async () => {
  const { kernLog, monitor } = kernel();
  await standalone([`--config.system-log-monitor=${monitor}`], async (agent) => {
    log(kernLog, dockerHungLine);
    log(kernLog, dockerHungLine);
    log(kernLog, oomLine(11));
    await waitFor(() => printed(agent, /Killed process 11/).length === 1, 'the event after the repeated line');
    expect(printed(agent, /condition kernel-monitor type=KernelDeadlock status=True/)).toHaveLength(1);
    // The event is the change; the repeated line changes nothing.
    expect(printed(agent, /event kernel-monitor .*reason=DockerHung/)).toHaveLength(1);
  });
}, 60_000);

test('--log-level: info by default, debug lets debug through, warn keeps info out, error keeps warnings out', async () => {
  const { monitor } = kernel();
  const levels = async (...flags: string[]): Promise<string[]> => {
    const agent = await standalone([`--config.system-log-monitor=${monitor}`, '--config.system-stats-monitor=stats.json', ...flags], async () => {});
    return [...new Set(agent.logs.map((r) => r.level))].sort();
  };
  expect(await levels()).toEqual(['info', 'warn']);
  expect(await levels('--log-level=debug')).toEqual(['debug', 'info', 'warn']);
  expect(await levels('--log-level=warn')).toEqual(['warn']);
  expect(await levels('--log-level=error')).toEqual([]);
}, 60_000);

test('--profile FILE with --monitors-dir runs the monitors it names, added to --config.* files', async () => {
  const a = kernel({ source: 'profile-monitor' });
  // Each condition type has one monitor file: this one declares none.
  const b = kernel({ source: 'flag-monitor', rules: [oomRule], extra: { conditions: [] } });
  const profile = tmp.write('profile.json', JSON.stringify({ monitors: [a.monitor.split('/').pop()] }));
  await standalone([`--profile=${profile}`, `--monitors-dir=${tmp.dir}`, `--config.system-log-monitor=${b.monitor}`], async (agent) => {
    log(a.kernLog, oomLine(21));
    log(b.kernLog, oomLine(22));
    await waitFor(() => printed(agent, /event profile-monitor .*Killed process 21/).length === 1 && printed(agent, /event flag-monitor .*Killed process 22/).length === 1, 'both monitors');
    expect(agent.logs.filter((r) => r.msg === 'monitor started').map((r) => r['monitor']).sort()).toEqual(['flag-monitor', 'profile-monitor']);
  });
}, 60_000);

test('--config.custom-plugin-monitor runs a probe monitor; --proc-path feeds it', async () => {
  await standalone([`--config.custom-plugin-monitor=${shippedMonitor('fd-monitor.json')}`, `--proc-path=${procRoot('check-problems', tmp.dir)}`], async (agent) => {
    await waitFor(() => printed(agent, /condition fd-custom-plugin-monitor type=FDPressure status=True reason=NodeHasFDPressure/).length === 1, 'FDPressure=True');
  });
}, 60_000);

test('--no-reload: an edited monitor file is not loaded; without it, it is', async () => {
  for (const reload of [false, true]) {
    const { kernLog, monitor } = kernel();
    await standalone([`--config.system-log-monitor=${monitor}`, ...(reload ? [] : ['--no-reload'])], async (agent) => {
      tmp.write(monitor.split('/').pop()!, kernLogMonitor(kernLog, { rules: [oomRule, { type: 'temporary', reason: 'NewRule', pattern: 'brand new problem' }] }));
      if (reload) await waitFor(() => agent.logs.some((r) => r.msg === 'configuration reloaded'), 'the reload');
      log(kernLog, 'brand new problem');
      log(kernLog, oomLine(31));
      await waitFor(() => printed(agent, /Killed process 31/).length === 1, 'the line after the edit');
      expect(printed(agent, /reason=NewRule/)).toHaveLength(reload ? 1 : 0);
      expect(agent.logs.some((r) => r.msg === 'configuration reloaded')).toBe(reload);
    });
  }
}, 90_000);

test('--state-dir keeps the journald cursor across a restart: nothing is reported twice', async () => {
  const journal = join(tmp.dir, 'state.journal');
  const monitor = tmp.write('journal-monitor.json', JSON.stringify({
    plugin: 'journald', pluginConfig: { source: 'kernel' }, logPath: journal, lookback: '5m', bufferSize: 10, source: 'journal-monitor', conditions: [], rules: [oomRule],
  }));
  await appendJournal(journal, [{ message: oomLine(41), timeMs: Date.now() - 2_000 }]);
  const run = async (stateDir: string | undefined, expectPid: number): Promise<string[]> => {
    const agent = await standalone([`--config.system-log-monitor=${monitor}`, ...(stateDir ? [`--state-dir=${stateDir}`] : [])], async (a) => {
      await waitFor(() => printed(a, new RegExp(`Killed process ${expectPid}`)).length === 1, `the OOM of pid ${expectPid}`);
    });
    return printed(agent, /reason=OOMKilling/).map((l) => /Killed process (\d+)/.exec(l)?.[1] ?? '?');
  };
  const stateDir = join(tmp.dir, 'state');
  expect(await run(stateDir, 41)).toEqual(['41']);
  expect(readdirSync(stateDir)).toEqual(['journal-monitor.cursor']);
  await appendJournal(journal, [{ message: oomLine(42), timeMs: Date.now() - 1_000 }]);
  // With the cursor, only the new entry; without a state dir, the lookback reads both again.
  expect(await run(stateDir, 42)).toEqual(['42']);
  expect(await run(undefined, 42)).toEqual(['41', '42']);
  expect(existsSync(join(tmp.dir, 'journal-monitor.cursor'))).toBe(false);
}, 90_000);

test('--sys-path (no probe reads sysfs), NPD\'s stats monitor and Stackdriver flags: the agent runs, warning once for each', async () => {
  const { monitor } = kernel();
  await standalone([`--config.system-log-monitor=${monitor}`, '--sys-path=/host/sys', '--config.system-stats-monitor=stats.json', '--exporter.stackdriver=sd.json'], async (agent) => {
    expect(agent.logs.filter((r) => r.level === 'warn').map((r) => r.msg)).toEqual([
      '--config.system-stats-monitor is not supported and is ignored',
      '--exporter.stackdriver is not supported and is ignored',
      '--sys-path is not supported and is ignored',
    ]);
  });
}, 60_000);
