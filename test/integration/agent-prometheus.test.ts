/**
 * The running agent's own `/metrics`, scraped by the real Prometheus: a kern.log problem line shows up
 * in Prometheus' `problem_counter`, the agent's source telemetry in `npd_source_lines_read_total`,
 * and `promtool check metrics` finds nothing in the agent's output but NPD's own metric names.
 */
import { appendFileSync } from 'node:fs';
import { startAgent, tempDir, type AgentUnderTest } from '../helpers/agent-harness.js';
import { kernLogMonitor, oomLine } from '../helpers/monitor-files.js';
import { promtoolCheck, scraped, startPrometheus, type PrometheusServer } from '../helpers/prometheus-server.js';
import { kernLogLine } from '../helpers/syslog.js';

const tmp = tempDir('npd-agent-prometheus-');
const kernLog = tmp.write('kern.log', '');
let agent: AgentUnderTest;
let prometheus: PrometheusServer;

beforeAll(async () => {
  agent = await startAgent(['--standalone', `--config.system-log-monitor=${tmp.write('kernel.json', kernLogMonitor(kernLog, { source: 'kernel-monitor' }))}`]);
  prometheus = await startPrometheus(agent.metricsUrl!);
}, 120_000);

afterAll(async () => {
  await prometheus?.stop();
  await agent?.stop();
});

test('Prometheus scrapes the agent: a kern.log OOM kill becomes problem_counter 1, with the lines read', async () => {
  const value = (q: string, want: string): Promise<string> => scraped(`${q} == ${want}`, async () => ((await prometheus.valueOf(q)) === want ? want : undefined));
  expect(await value('problem_counter{reason="OOMKilling"}', '0')).toBe('0');
  appendFileSync(kernLog, `${kernLogLine('an ordinary line')}\n${kernLogLine(oomLine(4242))}\n`);
  expect(await value('problem_counter{reason="OOMKilling"}', '1')).toBe('1');
  expect(await value('npd_source_lines_read_total{source="kernel-monitor"}', '2')).toBe('2');
  expect(await value('problem_gauge{type="KernelDeadlock",reason="DockerHung"}', '0')).toBe('0');
  expect(Number(await prometheus.valueOf('npd_process_resident_memory_bytes'))).toBeGreaterThan(0);
}, 120_000);

test('promtool check metrics accepts the agent\'s /metrics (NPD\'s own names aside)', async () => {
  const text = await agent.metrics();
  const { status, findings } = promtoolCheck(text);
  expect(findings).toEqual([]);
  // 0 clean or 3 lint findings (NPD's names only, as above); 1 would be a parse error.
  expect([0, 3]).toContain(status);
});
