/**
 * The transport against misbehaving servers on 127.0.0.1: a body of any size is never buffered
 * whole, and a slow but working apiserver is waited for (writes once, reads with a growing
 * deadline). Time is a manual clock; the servers hold answers until the test lets them go.
 */
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createManualClock } from '../../src/core/clock.js';
import { NetworkError } from '../../src/core/errors.js';
import { createApiTransport, type ApiRequest } from '../../src/kube/api-transport.js';
import { loadConnection, type Connection } from '../../src/kube/connection.js';
import { useTestApiserver } from '../helpers/test-apiserver.js';

const getNode: ApiRequest = { method: 'GET', path: '/api/v1/nodes/node-a', verb: 'get', resource: 'nodes' };
const patchStatus = (message: string): ApiRequest => ({
  method: 'PATCH', path: '/api/v1/nodes/node-a/status', verb: 'patch', resource: 'nodes/status',
  contentType: 'application/strategic-merge-patch+json',
  body: { status: { conditions: [{ type: 'SlowProblem', status: 'True', reason: 'Slow', message }] } },
});

describe('a huge response body', () => {
  let server: http.Server;
  let written = 0;
  let closedEarly = false;
  const huge = 600 * 1024 * 1024;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url === '/small') return res.end('{"kind":"Node","metadata":{"name":"node-a"}}');
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(huge) });
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      res.on('close', () => (closedEarly = written < huge));
      const pump = (): void => {
        while (written < huge && !res.destroyed) {
          written += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.write('{"pad":"');
      pump();
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  test('is cut at the cap: the request fails cleanly, the server is hung up on, the next request works', async () => {
    const port = (server.address() as AddressInfo).port;
    const connection = await loadConnection({ apiserverOverride: `http://127.0.0.1:${port}?inClusterConfig=false` });
    const t = createApiTransport({ connection, maxResponseBytes: 4 * 1024 * 1024 });
    const err = await t.request({ ...getNode, path: '/huge' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NetworkError);
    expect((err as Error).message).toMatch(/GET \/huge: response larger than 4194304 bytes/);
    await new Promise((r) => setTimeout(r, 50));
    expect(closedEarly).toBe(true);
    // Far less than the 600 MB the server meant to send (socket buffers hold a few MiB at most).
    expect(written).toBeLessThan(64 * 1024 * 1024);
    await expect(t.request({ ...getNode, path: '/small' })).resolves.toMatchObject({ kind: 'Node' });
    t.close();
  });
});

describe('a slow apiserver', () => {
  const apiserver = useTestApiserver();
  const kubeconfigConnection = async (): Promise<Connection> =>
    loadConnection({ kubeconfig: await apiserver.current.writeKubeconfig(`${apiserver.certs.dir}/kc-slow-${apiserver.current.port}`) });

  /** A fault that holds matching requests until `release()`; resolves `arrived` when one comes. */
  const holdNext = (method: string): { arrived: Promise<void>; release: () => void } => {
    let release!: () => void;
    const hold = new Promise<void>((r) => (release = r));
    const arrived = new Promise<void>((r) => {
      const off = apiserver.current.onRequest((req) => {
        if (req.method === method) {
          off();
          r();
        }
      });
    });
    apiserver.current.inject({ method, hold });
    return { arrived, release };
  };

  test('a write is waited for past the read deadline and sent once', async () => {
    const clock = createManualClock();
    const connection = await kubeconfigConnection();
    const t = createApiTransport({ connection, clock, timeoutMs: 10_000 });
    const h = holdNext('PATCH');
    const done = t.request(patchStatus('after 30 s'));
    await h.arrived;
    // 30 s pass on the apiserver before it answers: three times the read deadline.
    await clock.advance(30_000);
    h.release();
    await expect(done).resolves.toMatchObject({ kind: 'Node' });
    expect(apiserver.current.requests.filter((r) => r.method === 'PATCH')).toHaveLength(1);
    expect(apiserver.current.node('node-a')?.['status'].conditions.find((c: { type: string }) => c.type === 'SlowProblem')?.message).toBe('after 30 s');
    t.close();
  });

  test('a write still times out at the write deadline', async () => {
    const clock = createManualClock();
    const connection = await kubeconfigConnection();
    const t = createApiTransport({ connection, clock, timeoutMs: 10_000, writeTimeoutMs: 60_000 });
    const h = holdNext('PATCH');
    const done = t.request(patchStatus('never')).catch((e: unknown) => e);
    await h.arrived;
    await clock.advance(60_000);
    const err = await done;
    expect(err).toBeInstanceOf(NetworkError);
    expect((err as Error).message).toMatch(/timed out after 60000 ms/);
    h.release();
    t.close();
  });

  test('a read that timed out gets a doubled deadline, and the base again after a quick answer', async () => {
    const clock = createManualClock();
    const connection = await kubeconfigConnection();
    const t = createApiTransport({ connection, clock, timeoutMs: 10_000 });
    const slowRead = async (heldMs: number): Promise<unknown> => {
      const h = holdNext('GET');
      const done = t.request(getNode).catch((e: unknown) => e);
      await h.arrived;
      await clock.advance(heldMs);
      h.release();
      return done;
    };
    expect(await slowRead(15_000)).toBeInstanceOf(NetworkError); // deadline 10 s
    expect(await slowRead(15_000)).toMatchObject({ kind: 'Node' }); // deadline 20 s
    await expect(t.request(getNode)).resolves.toMatchObject({ kind: 'Node' }); // quick: back to 10 s
    expect(await slowRead(15_000)).toBeInstanceOf(NetworkError);
    t.close();
  });

  test('at most 4 TLS connections by default: a fifth request waits for a free one', async () => {
    const connection = await kubeconfigConnection();
    const t = createApiTransport({ connection });
    let release!: () => void;
    const hold = new Promise<void>((r) => (release = r));
    let arrived = 0;
    let fourArrived!: () => void;
    const four = new Promise<void>((r) => (fourArrived = r));
    const off = apiserver.current.onRequest(() => {
      if (++arrived === 4) fourArrived();
    });
    apiserver.current.inject({ method: 'GET', hold, times: 4 });
    const all = Promise.all(Array.from({ length: 5 }, () => t.request(getNode)));
    await four;
    release();
    await all;
    off();
    expect(apiserver.current.connections()).toBe(4);
    t.close();
  });
});
