/**
 * The agent's wiring in one process (src/app/agent.ts): a rejected reload keeps the running
 * configuration, a monitor taken off the list leaves everywhere, every exporter gets every status
 * even when one throws, and monitors continue from the Node's conditions they own. Real kmsg
 * sources on temp files and the real Prometheus exporter (test/app/agent-fixture.ts).
 */
import { getEventListeners } from 'node:events';
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Condition, MonitorDescription, Status } from '../../src/core/problem.js';
import type { Exporter } from '../../src/exporters/exporter.js';
import { createManualClock } from '../../src/core/clock.js';
import { repoRoot } from '../helpers/cli.js';
import { procFixture } from '../helpers/fixtures.js';
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

const deadlockMonitor = (source = 'kernel-monitor') => ({
  ...kmsg(source),
  conditions: [{ type: 'KernelDeadlock', reason: 'KernelHasNoDeadlock', message: 'kernel has no deadlock' }],
  rules: [...kernelRules, { type: 'permanent', condition: 'KernelDeadlock', reason: 'DockerHung', pattern: 'task docker:\\w+ blocked for more than \\w+ seconds\\.' }],
});
const dockerHung = 'INFO: task docker:20744 blocked for more than 120 seconds.';
const deadlockOf = (fx: AgentFixture) => fx.agent.conditions()['kernel-monitor']?.find((c) => c.type === 'KernelDeadlock');
const started = (fx: AgentFixture) => fx.logger.records.filter((r) => r.msg === 'monitor started').length;

test('a reload with nothing changed restarts no monitor; an edited monitor restarts and keeps its True condition', async () => {
  f = await startAgentFixture({ monitors: { 'm.json': deadlockMonitor() }, before: createKmsg('kmsg') });
  const fx = f;
  await appendKmsg(fx, dockerHung);
  await waitFor(() => deadlockOf(fx)?.status === 'True', 'KernelDeadlock True');
  expect(started(fx)).toBe(1);
  expect(await fx.agent.reload()).toEqual({ ok: true });
  expect(started(fx)).toBe(1);
  const edited = deadlockMonitor();
  await fx.writeMonitor('m.json', { ...edited, rules: [...edited.rules, { type: 'temporary', reason: 'Edit', pattern: 'edit .*' }] });
  expect(await fx.agent.reload()).toEqual({ ok: true });
  expect(started(fx)).toBe(2);
  expect(deadlockOf(fx)).toMatchObject({ status: 'True', reason: 'DockerHung' });
  expect(fx.logger.records.filter((r) => r.msg === 'monitor removed')).toEqual([]);
});

test.each<[string, (dir: string) => Record<string, unknown>, RegExp]>([
  ['a probe that does not exist', () => ({ plugin: 'custom', source: 'probe-monitor', conditions: [], rules: [{ type: 'temporary', reason: 'Nope', probe: 'nope' }] }), /nope/],
  [
    'a plugin that is not there',
    (dir) => ({ plugin: 'custom', source: 'plugin-monitor', conditions: [], rules: [{ type: 'temporary', reason: 'Plugin', path: join(dir, 'no-such-plugin.sh') }] }),
    /no-such-plugin\.sh/,
  ],
  ['a condition another monitor owns', () => deadlockMonitor('other-monitor'), /KernelDeadlock/],
])('an edit to %s is rejected at load: the running monitors keep running', async (_what, edit, error) => {
  f = await startAgentFixture({ monitors: { 'm.json': deadlockMonitor(), 'n.json': kmsg('second', 'kmsg-2') }, before: createKmsg('kmsg', 'kmsg-2') });
  const fx = f;
  await writeFile(join(fx.dir, 'n.json'), JSON.stringify(edit(fx.dir)));
  const result = await fx.agent.reload();
  expect(result).toEqual({ ok: false, error: expect.stringMatching(error) });
  await appendKmsg(fx, oomLine, 'kmsg-2');
  await waitFor(async () => (await counted(fx, 'OOMKilling')) === 1, 'the second monitor, still running, counting');
});

test('reloads leave one abort listener per running monitor on the agent\'s signal, not one per reload', async () => {
  f = await startAgentFixture({ monitors: { 'm.json': kmsg('kernel-monitor') }, before: createKmsg('kmsg') });
  const fx = f;
  const before = getEventListeners(fx.signal, 'abort').length;
  for (let i = 0; i < 3; i++) {
    await fx.writeMonitor('m.json', { ...kmsg('kernel-monitor'), rules: [...kernelRules, { type: 'temporary', reason: `Edit${i}`, pattern: `edit ${i}` }] });
    expect(await fx.agent.reload()).toEqual({ ok: true });
  }
  expect(started(fx)).toBe(4);
  expect(getEventListeners(fx.signal, 'abort').length).toBe(before);
});

test('the agent watches its files by default: an edit is loaded without reload()', async () => {
  f = await startAgentFixture({ monitors: { 'm.json': kmsg('kernel-monitor') }, before: createKmsg('kmsg'), watch: true });
  const fx = f;
  await fx.writeMonitor('m.json', { ...kmsg('kernel-monitor'), rules: [...kernelRules, { type: 'temporary', reason: 'Edit', pattern: 'edit .*' }] });
  await waitFor(() => fx.logger.records.some((r) => r.msg === 'configuration reloaded'), 'the reload of the edit');
});

test('watch: false: an edit is not loaded, even after the 30 s content poll', async () => {
  const clock = createManualClock(Date.now());
  f = await startAgentFixture({ monitors: { 'm.json': kmsg('kernel-monitor') }, before: createKmsg('kmsg'), clock, watch: false });
  const fx = f;
  await fx.writeMonitor('m.json', { ...kmsg('kernel-monitor'), rules: [...kernelRules, { type: 'temporary', reason: 'Edit', pattern: 'edit .*' }] });
  for (let i = 0; i < 4; i++) await clock.advance(10_000);
  expect(fx.logger.records.filter((r) => r.msg === 'configuration reloaded' || r.msg === 'monitor started')).toHaveLength(1);
});

test('a monitor\'s log records name it', async () => {
  const fd = JSON.parse(await readFile(join(repoRoot, 'monitors/fd-monitor.json'), 'utf8')) as Record<string, unknown>;
  f = await startAgentFixture({ monitors: { 'fd.json': fd }, procRoot: procFixture('fd-garbage') });
  const fx = f;
  await waitFor(() => fx.logger.records.some((r) => r.msg === 'check result unknown'), 'the unparsable file-nr');
  expect(fx.logger.records.find((r) => r.msg === 'check result unknown')).toMatchObject({ level: 'warn', monitor: 'fd-custom-plugin-monitor', cause: 'Unparsable' });
});

test('a plugin\'s complaint on stderr is logged naming its monitor and the plugin', async () => {
  f = await startAgentFixture({
    monitors: { 'p.json': { plugin: 'custom', source: 'plugin-monitor', conditions: [], rules: [{ type: 'temporary', reason: 'Plugin', path: '$DIR/plugin.sh' }] } },
    before: async (dir) => writeFile(join(dir, 'plugin.sh'), '#!/bin/sh\necho "disk gone" >&2\necho problem\nexit 1\n', { mode: 0o755 }),
  });
  const fx = f;
  await waitFor(() => fx.logger.records.some((r) => r.msg === 'plugin stderr'), 'the plugin\'s stderr logged');
  expect(fx.logger.records.find((r) => r.msg === 'plugin stderr')).toMatchObject({ level: 'warn', monitor: 'plugin-monitor', plugin: join(fx.dir, 'plugin.sh'), stderr: 'disk gone' });
});

test('a signal aborted while the agent starts (SIGTERM during start-up) stops every monitor it launches', async () => {
  f = await startAgentFixture({ monitors: { 'a.json': kmsg('a-monitor'), 'b.json': kmsg('b-monitor', 'kmsg-b') }, before: createKmsg('kmsg', 'kmsg-b'), abortDuringStart: true });
  expect(f.logger.records.filter((r) => r.msg === 'monitor started')).toHaveLength(2);
  // Resolves only once both monitors and their sources have stopped (before the fix: never).
  await f.agent.stopped();
  expect(getEventListeners(f.signal, 'abort')).toEqual([]);
});
