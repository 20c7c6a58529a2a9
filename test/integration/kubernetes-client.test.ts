/**
 * Our small client (transport + node client) against the test apiserver over real HTTPS, and the
 * test apiserver's own fidelity: it must answer as kube-apiserver does where the agent touches it.
 */
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { systemClock } from '../../src/core/clock.js';
import { ApiError, NetworkError } from '../../src/core/errors.js';
import { createApiTransport } from '../../src/kube/api-transport.js';
import { loadConnection, serviceAccountDir, type Connection } from '../../src/kube/connection.js';
import { createNodeClient } from '../../src/kube/node-client.js';
import { noopTelemetry } from '../../src/core/telemetry.js';
import { useTestApiserver } from '../helpers/test-apiserver.js';

const apiserver = useTestApiserver();

async function raw(conn: Connection, method: 'GET' | 'PATCH' | 'POST', path: string, body?: unknown, contentType?: string): Promise<unknown> {
  const t = createApiTransport({ connection: conn });
  try {
    return await t.request({ method, path, body, contentType, verb: 'x', resource: 'x' });
  } finally {
    t.close();
  }
}

const kubeconfigConn = async (opts: { token?: string; clientCert?: boolean } = {}): Promise<Connection> =>
  loadConnection({ kubeconfig: await apiserver.current.writeKubeconfig(join(apiserver.certs.dir, `kc-${apiserver.current.port}-${Math.random()}`), opts) });

test('one keep-alive connection serves many requests', async () => {
  const conn = await kubeconfigConn();
  const t = createApiTransport({ connection: conn });
  for (let i = 0; i < 5; i++) await t.request({ method: 'GET', path: '/api/v1/nodes/node-a', verb: 'get', resource: 'nodes' });
  t.close();
  expect(apiserver.current.requests).toHaveLength(5);
  expect(apiserver.current.connections()).toBe(1);
});

test('every request is reported to telemetry with its verb, resource and result', async () => {
  const seen: string[] = [];
  const telemetry = { ...noopTelemetry, apiRequest: (verb: string, resource: string, result: string) => void seen.push(`${verb} ${resource} ${result}`) };
  const conn = await kubeconfigConn();
  const client = createNodeClient({ transport: createApiTransport({ connection: conn, telemetry }), nodeName: 'node-a', clock: systemClock, random: () => 0, attempts: 2, baseDelayMs: 1 });
  await client.getNode(undefined, true);
  apiserver.current.inject({ method: 'PATCH', status: 500, times: 1 });
  await client.patchNodeStatus({ status: {} });
  await apiserver.current.down();
  await expect(client.getNode()).rejects.toBeInstanceOf(NetworkError);
  expect(seen).toEqual(['get nodes 200', 'patch nodes/status 500', 'patch nodes/status 200', 'get nodes network', 'get nodes network']);
  expect(apiserver.current.requests[0]?.query).toBe('resourceVersion=0');
});

test('a client certificate authenticates without a token', async () => {
  const conn = await kubeconfigConn({ clientCert: true });
  await expect(raw(conn, 'GET', '/api/v1/nodes/node-a')).resolves.toMatchObject({ metadata: { name: 'node-a' } });
});

test('401 without a valid token; the error carries no token', async () => {
  const conn = await kubeconfigConn({ token: 'wrong-secret-token' });
  const err = await raw(conn, 'GET', '/api/v1/nodes/node-a').catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ApiError);
  expect((err as ApiError).status).toBe(401);
  expect(String((err as Error).message)).not.toContain('wrong-secret-token');
});

test('a rotated service-account token is picked up after a 401', async () => {
  const prefix = join(apiserver.certs.dir, `sa-${apiserver.current.port}`);
  const dir = join(prefix, serviceAccountDir);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'token'), 'expired');
  await writeFile(join(dir, 'ca.crt'), apiserver.certs.ca);
  const conn = await loadConnection({ inClusterPrefix: prefix }, { KUBERNETES_SERVICE_HOST: '127.0.0.1', KUBERNETES_SERVICE_PORT: String(apiserver.current.port) });
  const client = createNodeClient({ transport: createApiTransport({ connection: conn }), nodeName: 'node-a', clock: systemClock, random: Math.random });
  await expect(client.getNode()).rejects.toMatchObject({ status: 401 });
  await writeFile(join(dir, 'token'), apiserver.current.token);
  await expect(client.getNode()).resolves.toMatchObject({ metadata: { name: 'node-a' } });
});

test('an exec credential plugin supplies the token, and runs again after a 401', async () => {
  const dir = join(apiserver.certs.dir, `exec-${apiserver.current.port}`);
  await mkdir(dir, { recursive: true });
  // First run: a stale token; later runs: the one the apiserver accepts.
  await writeFile(join(dir, 'plugin'), [
    '#!/bin/sh',
    `echo run >> '${dir}/runs'`,
    `if [ "$(wc -l < '${dir}/runs')" -eq 1 ]; then t=stale; else t="$NPD_TOKEN"; fi`,
    'printf \'{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"%s"}}\' "$t"',
  ].join('\n'));
  await chmod(join(dir, 'plugin'), 0o755);
  const file = await apiserver.current.writeKubeconfig(join(dir, 'kubeconfig'));
  const doc = JSON.parse(await readFile(file, 'utf8')) as { users: { user: object }[] };
  doc.users[0] = { ...doc.users[0], user: { exec: { command: './plugin', apiVersion: 'client.authentication.k8s.io/v1', env: [{ name: 'NPD_TOKEN', value: apiserver.current.token }] } } };
  await writeFile(file, JSON.stringify(doc));
  const conn = await loadConnection({ kubeconfig: file });
  const client = createNodeClient({ transport: createApiTransport({ connection: conn }), nodeName: 'node-a', clock: systemClock, random: Math.random });
  await expect(client.getNode()).rejects.toMatchObject({ status: 401 });
  await expect(client.getNode()).resolves.toMatchObject({ metadata: { name: 'node-a' } });
  await expect(client.getNode()).resolves.toMatchObject({ metadata: { name: 'node-a' } });
  expect((await readFile(join(dir, 'runs'), 'utf8')).trim().split('\n')).toHaveLength(2);
});

test('an unknown CA is refused (no silent insecure fallback)', async () => {
  const conn = { ...(await kubeconfigConn()), ca: undefined };
  await expect(raw(conn, 'GET', '/api/v1/nodes/node-a')).rejects.toBeInstanceOf(NetworkError);
});

describe('test apiserver fidelity', () => {
  test('merge-patch replaces the conditions list (kubelet\'s lost), strategic merge keeps it', async () => {
    const conn = await kubeconfigConn();
    const c = { type: 'KernelDeadlock', status: 'False', reason: 'KernelHasNoDeadlock', message: 'm', lastHeartbeatTime: '2026-01-01T00:00:00.123Z', lastTransitionTime: '2026-01-01T00:00:00Z' };
    const smp = (await raw(conn, 'PATCH', '/api/v1/nodes/node-a/status', { status: { conditions: [c] } }, 'application/strategic-merge-patch+json')) as any;
    expect(smp.status.conditions.map((x: { type: string }) => x.type)).toContain('Ready');
    expect(smp.status.conditions.find((x: { type: string }) => x.type === 'KernelDeadlock').lastHeartbeatTime).toBe('2026-01-01T00:00:00Z');
    const mp = (await raw(conn, 'PATCH', '/api/v1/nodes/node-a/status', { status: { conditions: [c] } }, 'application/merge-patch+json')) as any;
    expect(mp.status.conditions.map((x: { type: string }) => x.type)).toEqual(['KernelDeadlock']);
  });

  test('strategic merge: $patch delete removes one element by type; the status subresource keeps spec', async () => {
    const conn = await kubeconfigConn();
    const before = apiserver.current.node('node-a');
    const out = (await raw(conn, 'PATCH', '/api/v1/nodes/node-a/status', { spec: { unschedulable: true }, status: { conditions: [{ $patch: 'delete', type: 'DiskPressure' }] } }, 'application/strategic-merge-patch+json')) as any;
    expect(out.status.conditions.map((x: { type: string }) => x.type)).toEqual(['MemoryPressure', 'PIDPressure', 'Ready']);
    expect(out.spec).toEqual(before?.['spec']);
    expect(Number(out.metadata.resourceVersion)).toBeGreaterThan(Number(before?.['metadata'].resourceVersion));
  });

  test.each([
    ['json-patch is 415', 'application/json-patch+json', [{ op: 'add', path: '/x', value: 1 }], 415],
    ['a bad condition status is 422', 'application/strategic-merge-patch+json', { status: { conditions: [{ type: 'X', status: 'Maybe' }] } }, 422],
    ['a stale resourceVersion is 409', 'application/strategic-merge-patch+json', { metadata: { resourceVersion: '1' } }, 409],
    ['a millisecond-less bad time is 400', 'application/strategic-merge-patch+json', { status: { conditions: [{ type: 'X', status: 'True', lastHeartbeatTime: 'yesterday' }] } }, 400],
  ])('%s', async (_name, type, body, status) => {
    const conn = await kubeconfigConn();
    await expect(raw(conn, 'PATCH', '/api/v1/nodes/node-a/status', body, type)).rejects.toMatchObject({ status });
  });

  const event = (ns: string, extra: object = {}) => ({
    metadata: { name: `node-a.${Math.floor(Math.random() * 1e9).toString(16)}`, namespace: ns },
    involvedObject: { kind: 'Node', name: 'node-a', apiVersion: 'v1', uid: 'u' },
    reason: 'R', message: 'm', type: 'Warning', source: { component: 'kernel-monitor', host: 'node-a' }, ...extra,
  });

  test.each([
    ['a cluster-scoped object in a non-default namespace is 422', 'kube-system', {}, 422],
    ['a message over 1024 is 422', 'default', { message: 'x'.repeat(1025) }, 422],
    ['type Error is 422', 'default', { type: 'Error' }, 422],
    ['an eventTime with milliseconds is 400', 'default', { eventTime: '2026-01-01T00:00:00.123Z', reportingComponent: 'kernel-monitor' }, 400],
  ])('events: %s', async (_name, ns, extra, status) => {
    const conn = await kubeconfigConn();
    await expect(raw(conn, 'POST', `/api/v1/namespaces/${ns}/events`, event(ns, extra))).rejects.toMatchObject({ status });
  });

  test('events: create, duplicate name 409, patch, list with fieldSelector, unknown field 400', async () => {
    const conn = await kubeconfigConn();
    const e = event('default');
    await raw(conn, 'POST', '/api/v1/namespaces/default/events', e);
    await expect(raw(conn, 'POST', '/api/v1/namespaces/default/events', e)).rejects.toMatchObject({ status: 409, reason: 'AlreadyExists' });
    await raw(conn, 'PATCH', `/api/v1/namespaces/default/events/${e.metadata.name}`, { count: 2 }, 'application/strategic-merge-patch+json');
    const hit = (await raw(conn, 'GET', '/api/v1/events?fieldSelector=involvedObject.name%3Dnode-a,reason%3DR')) as any;
    expect(hit.items.map((x: { count: number }) => x.count)).toEqual([2]);
    const miss = (await raw(conn, 'GET', '/api/v1/namespaces/default/events?fieldSelector=reason%21%3DR')) as any;
    expect(miss.items).toEqual([]);
    await expect(raw(conn, 'GET', '/api/v1/events?fieldSelector=spec.x%3D1')).rejects.toMatchObject({ status: 400 });
    await expect(raw(conn, 'PATCH', '/api/v1/namespaces/default/events/missing', { count: 2 }, 'application/strategic-merge-patch+json')).rejects.toMatchObject({ status: 404 });
  });
});
