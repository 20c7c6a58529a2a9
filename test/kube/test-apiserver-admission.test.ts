/**
 * The test apiserver's admission model over real HTTPS (what bench/fleet.ts runs in process): a
 * mutating request beyond the in-flight cap is answered 429 with Retry-After: 1 at once, reads are
 * not capped, and the agent's client sees an ApiError carrying the wait.
 */
import { systemClock } from '../../src/core/clock.js';
import { ApiError } from '../../src/core/errors.js';
import { createApiTransport, type ApiRequest } from '../../src/kube/api-transport.js';
import { loadConnection } from '../../src/kube/connection.js';
import { kubeletNode, startTestApiserver } from '../helpers/test-apiserver.js';

const patch: ApiRequest = {
  method: 'PATCH', path: '/api/v1/nodes/node-a/status', verb: 'patch', resource: 'nodes/status',
  contentType: 'application/strategic-merge-patch+json', body: { status: { conditions: [{ type: 'X', status: 'True' }] } },
};

test('beyond max in-flight a write gets 429 + Retry-After: 1; reads are served meanwhile', async () => {
  const api = await startTestApiserver({ admission: { maxInflight: 1, serviceMs: 3000 } });
  try {
    api.addNode(kubeletNode('node-a'));
    const connection = await loadConnection({ kubeconfig: await api.writeKubeconfig(`${api.certs.dir}/kc-admission`) });
    const t = createApiTransport({ connection, clock: systemClock, maxSockets: 8 });
    const first = t.request(patch);
    await new Promise<void>((resolve) => api.onRequest((r) => r.method === 'PATCH' && resolve()));
    const second = await t.request(patch).catch((e: unknown) => e);
    expect(second).toBeInstanceOf(ApiError);
    expect((second as ApiError).status).toBe(429);
    expect((second as ApiError).retryAfterMs).toBe(1000);
    await expect(t.request({ method: 'GET', path: '/api/v1/nodes/node-a', verb: 'get', resource: 'nodes' })).resolves.toMatchObject({ kind: 'Node' });
    await expect(first).resolves.toMatchObject({ kind: 'Node' });
    expect(api.requests.map((r) => `${r.method} ${r.status}`).sort()).toEqual(['GET 200', 'PATCH 200', 'PATCH 429']);
    t.close();
  } finally {
    await api.close();
  }
});
