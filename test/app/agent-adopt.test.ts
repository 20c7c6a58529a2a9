/**
 * `Agent.adopt` (src/app/agent.ts): once the Kubernetes exporter has read the Node (after its start
 * jitter, while the monitors already run), a monitor that has reported no change since it started
 * continues from the Node's conditions it owns (NPD #304); one that has seen something of its own, one
 * that crashed, and every monitor of a stopped agent are left alone. Real kmsg sources on temp files
 * and the real Prometheus exporter (test/app/agent-fixture.ts).
 */
import { appendFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../src/core/errors.js';
import type { Condition } from '../../src/core/problem.js';
import { waitFor } from '../helpers/wait.js';
import { bareAgent, hungLine, kernelRules, kmsgRecord, logMonitor, oomLine, startAgentFixture, startCrashedFdMonitor, type AgentFixture, type MonitorJson } from './agent-fixture.js';

let f: AgentFixture | undefined;
afterEach(async () => {
  await f?.stop();
  f = undefined;
});

let seq = 0;
const createKmsg = (...files: string[]) => async (dir: string) => {
  for (const name of files) await writeFile(join(dir, name), '');
};
const appendKmsg = (fx: AgentFixture, message: string, file = 'kmsg') => appendFile(join(fx.dir, file), kmsgRecord(++seq, Date.now(), fx.bootMs, message));
const counted = (fx: AgentFixture, reason: string) => fx.metric('problem_counter', { reason });
const started = (fx: AgentFixture, monitor = 'kernel-monitor') => fx.logger.records.filter((r) => r.msg === 'monitor started' && r['monitor'] === monitor).length;

const dockerHung = 'INFO: task docker:20744 blocked for more than 120 seconds.';
const dockerBack = 'docker: task unblocked';
/** kernel-monitor.json's KernelDeadlock, with a recovery rule (an npd-ts extension) that returns it to False. */
const deadlockMonitor = (source = 'kernel-monitor', file = 'kmsg'): MonitorJson => ({
  ...logMonitor(source, 'kmsg', `$DIR/${file}`),
  conditions: [{ type: 'KernelDeadlock', reason: 'KernelHasNoDeadlock', message: 'kernel has no deadlock' }],
  rules: [
    ...kernelRules,
    { type: 'permanent', condition: 'KernelDeadlock', reason: 'DockerHung', pattern: 'task docker:\\w+ blocked for more than \\w+ seconds\\.' },
    { type: 'recovery', condition: 'KernelDeadlock', pattern: 'docker: task unblocked' },
  ],
});
const readonlyMonitor = (source = 'readonly-monitor', file = 'kmsg-2'): MonitorJson => ({
  ...logMonitor(source, 'kmsg', `$DIR/${file}`),
  conditions: [{ type: 'ReadonlyFilesystem', reason: 'FilesystemIsNotReadOnly', message: 'Filesystem is not read-only' }],
  rules: [{ type: 'permanent', condition: 'ReadonlyFilesystem', reason: 'FilesystemIsReadOnly', pattern: 'Remounting filesystem read-only' }],
});
const since = new Date(Date.now() - 3_600_000);
/** What the previous agent left on the Node: KernelDeadlock True, and a condition no monitor here owns. */
const onNode: Condition[] = [
  { type: 'KernelDeadlock', status: 'True', reason: 'DockerHung', message: 'task docker:1 blocked for more than 120 seconds.', transition: since },
  { type: 'FrequentKubeletRestart', status: 'False', reason: 'NoFrequentKubeletRestart', message: 'owned by another agent', transition: since },
];
const deadlockOf = (fx: AgentFixture, monitor = 'kernel-monitor') => fx.agent.conditions()[monitor]?.find((c) => c.type === 'KernelDeadlock');

test('a monitor that has reported only events since it started continues from the Node\'s True condition, and counts no line twice', async () => {
  f = await startAgentFixture({ monitors: { 'm.json': deadlockMonitor() }, before: createKmsg('kmsg') });
  const fx = f;
  await appendKmsg(fx, oomLine);
  await appendKmsg(fx, oomLine);
  await waitFor(async () => (await counted(fx, 'OOMKilling')) === 2, 'two OOM events');
  expect(deadlockOf(fx)?.status).toBe('False');

  await fx.agent.adopt(onNode);
  expect(started(fx)).toBe(2);
  expect(deadlockOf(fx)).toMatchObject({ status: 'True', reason: 'DockerHung', transition: since });
  // The successor reads on from where the first monitor stopped: the OOM lines are not counted again.
  await appendKmsg(fx, hungLine);
  await waitFor(async () => (await counted(fx, 'TaskHung')) === 1, 'the next line counted');
  expect(await counted(fx, 'OOMKilling')).toBe(2);
});

test('a monitor that saw a problem come and go keeps its own False: the Node\'s older True is not adopted', async () => {
  f = await startAgentFixture({ monitors: { 'm.json': deadlockMonitor() }, before: createKmsg('kmsg') });
  const fx = f;
  await appendKmsg(fx, dockerHung);
  await waitFor(() => deadlockOf(fx)?.status === 'True', 'KernelDeadlock True');
  await appendKmsg(fx, dockerBack);
  await waitFor(() => deadlockOf(fx)?.status === 'False', 'KernelDeadlock False again');

  await fx.agent.adopt(onNode);
  expect(started(fx)).toBe(1);
  expect(deadlockOf(fx)).toMatchObject({ status: 'False', reason: 'KernelHasNoDeadlock' });
});

test('only the monitors owning one of the Node\'s conditions are restarted', async () => {
  f = await startAgentFixture({ monitors: { 'm.json': deadlockMonitor(), 'r.json': readonlyMonitor() }, before: createKmsg('kmsg', 'kmsg-2') });
  await f.agent.adopt(onNode);
  expect(started(f)).toBe(2);
  expect(started(f, 'readonly-monitor')).toBe(1);
  expect(deadlockOf(f)?.status).toBe('True');
});

test('a monitor that stopped with an error is not brought back by the Node\'s conditions: /healthz keeps failing', async () => {
  f = await startCrashedFdMonitor();
  const fx = f;
  await fx.agent.adopt([{ type: 'FDPressure', status: 'True', reason: 'FDPressure', message: 'from the Node', transition: since }]);
  expect(fx.logger.records.filter((r) => r.msg === 'monitor started')).toHaveLength(1);
  expect(fx.agent.health()).toMatchObject({ ok: false, monitors: [{ source: 'fd-custom-plugin-monitor', ok: false, detail: 'monitor stopped: clock unavailable' }] });
});

test('the Node read after the agent stopped starts nothing', async () => {
  f = await startAgentFixture({ monitors: { 'm.json': deadlockMonitor() }, before: createKmsg('kmsg') });
  const fx = f;
  f = undefined;
  await fx.stop();
  await fx.agent.adopt(onNode);
  expect(started(fx)).toBe(1);
  await fx.agent.stopped();
});

test('the Node read before the agent started, or after its start failed, starts nothing', async () => {
  const { agent, logger } = bareAgent([join(tmpdir(), 'npd-no-such-monitor.json')]);
  await agent.adopt(onNode);
  const ac = new AbortController();
  await expect(agent.start(ac.signal)).rejects.toBeInstanceOf(ConfigError);
  await agent.adopt(onNode);
  expect(logger.records.filter((r) => r.msg === 'monitor started')).toEqual([]);
  ac.abort();
  await agent.stopped();
});
