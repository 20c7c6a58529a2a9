/**
 * The exporter under apiserver faults. Whatever happens, afterwards the Node's conditions equal the
 * exporter's state, and events are not lost to transient failures.
 */
import { waitFor } from '../helpers/wait.js';
import type { Fault } from '../helpers/test-apiserver-routes.js';
import { perTestWithCerts } from '../helpers/per-test.js';
import { cond, monitor, nodeConditions, startFixture, type TestExporter } from './kubernetes-fixture.js';

const types = ['KernelDeadlock', 'ReadonlyFilesystem', 'FDPressure'];

const fixture = perTestWithCerts(startFixture);

async function converged(e: TestExporter): Promise<void> {
  const want = JSON.stringify(e.currentConditions());
  await waitFor(() => JSON.stringify(nodeConditions(fixture.current.api, types)) === want, 'node equals the exporter state');
}

/** Reports a few changes, the last one winning per type. */
function churn(e: TestExporter, round: number): void {
  e.export({ source: 'kernel-monitor', events: [], conditions: [cond('KernelDeadlock', round % 2 ? 'True' : 'False', round % 2 ? 'DockerHung' : 'KernelHasNoDeadlock', `round ${round}`)] });
  e.export({ source: 'fd-monitor', events: [], conditions: [cond('FDPressure', 'True', 'FDPressure', `round ${round}`, `2026-01-01T00:0${round}:00Z`)] });
  e.export({ source: 'kernel-monitor', events: [], conditions: [cond('ReadonlyFilesystem', 'False', 'FilesystemIsNotReadOnly')] });
}

async function started(overrides = {}): Promise<TestExporter> {
  const e = await fixture.current.exporter(overrides);
  e.setMonitors([monitor('kernel-monitor', ['KernelDeadlock', 'ReadonlyFilesystem']), monitor('fd-monitor', ['FDPressure'])]);
  return e;
}

test('apiserver down at start: start gives up within the wait timeout, the node converges once it is up', async () => {
  await fixture.current.api.down();
  const e = await started({ waitTimeoutMs: 300, waitIntervalMs: 50 });
  await e.start();
  expect(await e.readNodeConditions()).toBeUndefined();
  churn(e, 1);
  e.export({ source: 'kernel-monitor', events: [{ severity: 'warn', time: new Date(), reason: 'OOMKilling', message: 'Killed process 9' }], conditions: [] });
  churn(e, 2);
  await fixture.current.api.up();
  await converged(e);
  await waitFor(() => fixture.current.api.events().length === 1, 'event sent after the outage');
  expect(fixture.current.api.node('node-a')?.['status'].conditions.find((c: { type: string }) => c.type === 'Ready')?.status).toBe('True');
});

test('apiserver down mid-run: changes made during the outage all arrive, coalesced', async () => {
  const e = await started();
  await e.start();
  churn(e, 1);
  await converged(e);
  const before = fixture.current.statusPatches().length;
  await fixture.current.api.down();
  for (let round = 2; round <= 7; round++) churn(e, round);
  await new Promise((r) => setTimeout(r, 300));
  await fixture.current.api.up();
  await converged(e);
  expect(nodeConditions(fixture.current.api, ['FDPressure'])[0]?.message).toBe('round 7');
  // Six rounds of changes did not become six PATCHes each.
  expect(fixture.current.statusPatches().length - before).toBeLessThanOrEqual(3);
});

test.each<[string, Fault[]]>([
  ['500 three times', [{ method: 'PATCH', path: '/status', status: 500, times: 3 }]],
  ['503 with Retry-After', [{ method: 'PATCH', path: '/status', status: 503, retryAfterSeconds: 0, times: 2 }]],
  ['429 with Retry-After', [{ method: 'PATCH', path: '/status', status: 429, retryAfterSeconds: 1, times: 1 }]],
  ['409 conflicts', [{ method: 'PATCH', path: '/status', status: 409, times: 3 }]],
  ['connection resets', [{ method: 'PATCH', path: '/status', reset: true, times: 3 }]],
  ['a long run of 500s', [{ method: 'PATCH', path: '/status', status: 500, times: 15 }]],
])('%s: the node converges to the exporter state', async (_name, faults) => {
  const e = await started({ requestTimeoutMs: 500 });
  await e.start();
  for (const f of faults) fixture.current.api.inject(f);
  churn(e, 1);
  await converged(e);
  churn(e, 2);
  await converged(e);
  const failed = fixture.current.api.requests.filter((r) => r.method === 'PATCH' && r.status !== 200);
  expect(failed.length).toBeGreaterThan(0);
});

test('slow writes past the read deadline are waited for: the node converges, one PATCH per sync', async () => {
  const e = await started({ requestTimeoutMs: 500 });
  await e.start();
  await waitFor(() => fixture.current.statusPatches().length === 1, 'ownership recorded');
  fixture.current.api.inject({ method: 'PATCH', path: '/status', latencyMs: 1500, times: 2 });
  churn(e, 1);
  await converged(e);
  churn(e, 2);
  await converged(e);
  const patches = fixture.current.api.requests.filter((r) => r.method === 'PATCH' && r.path.endsWith('/status'));
  expect(patches.every((r) => r.status === 200)).toBe(true);
  // Each sync is one PATCH: none abandoned at the 500 ms read deadline and sent again.
  expect(patches.length).toBeLessThanOrEqual(3);
});

test('Retry-After is honoured', async () => {
  const e = await started({ retryMaxMs: 5000 });
  await e.start();
  // The first sync records ownership on the Node; the fault is for the next one.
  await waitFor(() => fixture.current.statusPatches().length === 1, 'ownership recorded');
  fixture.current.api.requests.length = 0;
  fixture.current.api.inject({ method: 'PATCH', path: '/status', status: 429, retryAfterSeconds: 1, times: 1 });
  churn(e, 1);
  await converged(e);
  const patches = fixture.current.api.requests.filter((r) => r.method === 'PATCH' && r.path.endsWith('/status'));
  expect(patches.map((r) => r.status)).toEqual([429, 200]);
  expect((patches[1]?.time ?? 0) - (patches[0]?.time ?? 0)).toBeGreaterThanOrEqual(950);
});

test('events survive transient failures and are dropped (not retried forever) when rejected', async () => {
  const e = await started();
  await e.start();
  fixture.current.api.inject({ method: 'POST', path: '/events', reset: true, times: 2 });
  e.export({ source: 'kernel-monitor', events: [{ severity: 'warn', time: new Date(), reason: 'TaskHung', message: 'task a blocked' }], conditions: [] });
  await waitFor(() => fixture.current.api.events().length === 1, 'event after resets');
  fixture.current.api.inject({ method: 'POST', path: '/events', status: 403, times: 1 });
  e.export({ source: 'kernel-monitor', events: [{ severity: 'warn', time: new Date(), reason: 'TaskHung', message: 'task b blocked' }], conditions: [] });
  e.export({ source: 'kernel-monitor', events: [{ severity: 'info', time: new Date(), reason: 'Recovered', message: 'ok' }], conditions: [] });
  await waitFor(() => fixture.current.api.events().some((ev) => ev['reason'] === 'Recovered'), 'later event');
  expect(fixture.current.api.events().map((ev) => ev['message']).sort()).toEqual(['ok', 'task a blocked']);
});
