/**
 * The agent's wiring in one process (src/app/agent.ts): a rejected reload keeps the running
 * configuration, a monitor taken off the list leaves everywhere, every exporter gets every status
 * even when one throws, and monitors continue from the Node's conditions they own. Real kmsg
 * sources on temp files and the real Prometheus exporter (test/app/agent-fixture.ts).
 */
import { appendFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Condition, MonitorDescription, Status } from '../../src/core/problem.js';
import type { Exporter } from '../../src/exporters/exporter.js';
import { waitFor } from '../helpers/wait.js';
import { kernelRules, kmsgRecord, logMonitor, oomLine, startAgentFixture, type AgentFixture } from './agent-fixture.js';

let f: AgentFixture | undefined;
afterEach(async () => {
  await f?.stop();
  f = undefined;
});

const kmsg = (source: string, file = 'kmsg') => logMonitor(source, 'kmsg', `$DIR/${file}`);
const createKmsg = (...files: string[]) => async (dir: string) => {
  for (const name of files) await writeFile(join(dir, name), '');
};
const appendKmsg = (fx: AgentFixture, message: string, file = 'kmsg') => appendFile(join(fx.dir, file), kmsgRecord(++seq, Date.now(), fx.bootMs, message));
let seq = 0;
const counted = (fx: AgentFixture, reason: string) => fx.metric('problem_counter', { reason });

/** An exporter that records what it is given. */
function recorder(name = 'recorder'): Exporter & { statuses: Status[]; monitors: (readonly MonitorDescription[])[]; ok: boolean } {
  const self = {
    name,
    statuses: [] as Status[],
    monitors: [] as (readonly MonitorDescription[])[],
    ok: true,
    setMonitors: (m: readonly MonitorDescription[]) => void self.monitors.push(m),
    export: (s: Status) => void self.statuses.push(s),
    healthy: () => self.ok,
    stop: async () => {},
  };
  return self;
}

test('an invalid edit is rejected: reload says why, the failure is counted and logged, the running monitor keeps counting', async () => {
  f = await startAgentFixture({ monitors: { 'm.json': kmsg('kernel-monitor') }, before: createKmsg('kmsg') });
  const fx = f;
  await writeFile(join(fx.dir, 'm.json'), '{"plugin": "kmsg", "rules": [');
  const result = await fx.agent.reload();
  expect(result.ok).toBe(false);
  expect(result.error).toMatch(/m\.json/);
  expect(await fx.metric('npd_config_reloads_total', { result: 'failure' })).toBe(1);
  expect(await fx.metric('npd_config_reloads_total', { result: 'success' })).toBe(0);
  expect(fx.logger.records.filter((r) => r.level === 'error').map((r) => [r.msg, r['error']])).toEqual([
    ['configuration rejected; the previous configuration keeps running', result.error],
  ]);
  await appendKmsg(fx, oomLine);
  await waitFor(async () => (await counted(fx, 'OOMKilling')) === 1, 'the running monitor counting');

  await fx.writeMonitor('m.json', kmsg('kernel-monitor'));
  expect(await fx.agent.reload()).toEqual({ ok: true });
  expect(await fx.metric('npd_config_reloads_total', { result: 'success' })).toBe(1);
  expect(fx.logger.records.filter((r) => r.msg === 'configuration reloaded')).toEqual([expect.objectContaining({ level: 'info', monitors: 1 })]);
});

test('a monitor taken off the list leaves: its conditions, its npd_source_up series, its health entry, the exporters\' monitor list', async () => {
  const rec = recorder();
  f = await startAgentFixture({ monitors: { 'a.json': kmsg('monitor-a', 'kmsg-a'), 'b.json': kmsg('monitor-b', 'kmsg-b') }, before: createKmsg('kmsg-a', 'kmsg-b'), exporters: [rec] });
  const fx = f;
  expect(Object.keys(fx.agent.conditions()).sort()).toEqual(['monitor-a', 'monitor-b']);
  expect(rec.monitors.at(-1)?.map((m) => m.source).sort()).toEqual(['monitor-a', 'monitor-b']);
  await waitFor(async () => (await fx.metric('npd_source_up', { source: 'monitor-b' })) !== undefined, 'monitor-b\'s source state');

  fx.dropMonitor('b.json');
  expect(await fx.agent.reload()).toEqual({ ok: true });
  expect(Object.keys(fx.agent.conditions())).toEqual(['monitor-a']);
  expect(rec.monitors.at(-1)?.map((m) => m.source)).toEqual(['monitor-a']);
  expect(fx.agent.health().monitors.map((m) => m.source)).toEqual(['monitor-a']);
  expect(await fx.metric('npd_source_up', { source: 'monitor-b' })).toBeUndefined();
  expect(await fx.metric('npd_source_up', { source: 'monitor-a' })).toBeDefined();
  expect(fx.logger.records.filter((r) => r.msg === 'monitor removed')).toEqual([expect.objectContaining({ monitor: 'monitor-b', file: join(fx.dir, 'b.json') })]);
});

test('two monitor files with one source name are warned about, naming both files', async () => {
  f = await startAgentFixture({ monitors: { 'a.json': kmsg('same', 'kmsg-a'), 'b.json': kmsg('same', 'kmsg-b') }, before: createKmsg('kmsg-a', 'kmsg-b') });
  expect(f.logger.records.filter((r) => r.level === 'warn')).toEqual([
    expect.objectContaining({ msg: 'two monitor files share a source name', source: 'same', files: [join(f.dir, 'a.json'), join(f.dir, 'b.json')] }),
  ]);
});

test('an exporter that throws is logged by name; the other exporters still get every status; an unhealthy one fails /healthz', async () => {
  const broken: Exporter = { ...recorder('broken'), export: () => { throw new Error('exporter bug'); } };
  const rec = recorder();
  f = await startAgentFixture({ monitors: { 'm.json': kmsg('kernel-monitor') }, before: createKmsg('kmsg'), exporters: [broken, rec] });
  const fx = f;
  await appendKmsg(fx, oomLine);
  await waitFor(() => rec.statuses.some((s) => s.events.some((e) => e.reason === 'OOMKilling')), 'the OOM event at the second exporter');
  expect(await counted(fx, 'OOMKilling')).toBe(1);
  expect(fx.logger.records.filter((r) => r.msg === 'exporter failed')[0]).toMatchObject({ level: 'error', exporter: 'broken', error: 'exporter bug' });
  expect(fx.agent.health().ok).toBe(true);
  rec.ok = false;
  expect(fx.agent.health()).toMatchObject({ ok: false, detail: 'recorder exporter unhealthy', exporters: [{ name: 'prometheus', ok: true }, { name: 'broken', ok: true }, { name: 'recorder', ok: false }] });
});

test('at start a monitor continues from the Node\'s conditions it owns, and only those', async () => {
  const deadlock = {
    conditions: [{ type: 'KernelDeadlock', reason: 'KernelHasNoDeadlock', message: 'kernel has no deadlock' }],
    rules: [...kernelRules, { type: 'permanent', condition: 'KernelDeadlock', reason: 'DockerHung', pattern: 'task docker:\\w+ blocked for more than \\w+ seconds\\.' }],
  };
  const since = new Date(Date.now() - 3_600_000);
  const node: Condition[] = [
    { type: 'KernelDeadlock', status: 'True', reason: 'DockerHung', message: 'task docker:1 blocked for more than 120 seconds.', transition: since },
    { type: 'ReadonlyFilesystem', status: 'True', reason: 'FilesystemIsReadOnly', message: 'owned by another monitor', transition: since },
  ];
  f = await startAgentFixture({ monitors: { 'm.json': { ...kmsg('kernel-monitor'), ...deadlock } }, before: createKmsg('kmsg'), initialConditions: node });
  expect(f.agent.conditions()['kernel-monitor']).toEqual([expect.objectContaining({ type: 'KernelDeadlock', status: 'True', reason: 'DockerHung' })]);
});
