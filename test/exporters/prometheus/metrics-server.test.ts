import type { Registry } from 'prom-client';
import { createMemoryLogger } from '../../../src/core/logger.js';
import { createPrometheusExporter, startMetricsServer } from '../../../src/exporters/prometheus/prometheus-exporter.js';
import { withTakenPort } from '../../helpers/net.js';
import { parseSamples } from './metrics-text.js';
import { allMonitors, warn } from './scenario.js';

async function withServer(fn: (url: string) => Promise<void>): Promise<void> {
  const prom = createPrometheusExporter({ processMetrics: false });
  prom.setMonitors(allMonitors);
  prom.export({ source: 'kernel-monitor', events: [warn('OOMKilling')], conditions: [] });
  const server = await startMetricsServer({ address: '127.0.0.1', port: 0, registry: prom.registry, logger: createMemoryLogger() });
  try {
    await fn(server.url);
  } finally {
    await server.close();
  }
}

describe('metrics server', () => {
  test('serves /metrics in the Prometheus text format 0.0.4', async () => {
    await withServer(async (url) => {
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      const res = await fetch(url);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
      expect(parseSamples(await res.text()).get('problem_counter{reason="OOMKilling"}')).toBe(1);
    });
  });

  test.each([
    ['an unknown path', '/', 'GET', 404],
    ['a query string', '/metrics?x=1', 'GET', 200],
    ['HEAD', '/metrics', 'HEAD', 200],
    ['POST', '/metrics', 'POST', 405],
  ])('%s', async (_name, path, method, status) => {
    await withServer(async (url) => {
      const res = await fetch(new URL(path, url), { method });
      expect(res.status).toBe(status);
      await res.arrayBuffer();
    });
  });

  test('rejects when the port is taken', async () => {
    await withTakenPort(async (port) => {
      const prom = createPrometheusExporter({ processMetrics: false });
      await expect(startMetricsServer({ address: '127.0.0.1', port, registry: prom.registry, logger: createMemoryLogger() })).rejects.toThrow(`cannot serve metrics on 127.0.0.1:${port}: listen EADDRINUSE`);
    });
  });

  test('a scrape that comes before the registry (npd run listens, then loads prom-client) waits for it', async () => {
    const prom = createPrometheusExporter({ processMetrics: false });
    prom.setMonitors(allMonitors);
    prom.export({ source: 'kernel-monitor', events: [warn('OOMKilling')], conditions: [] });
    let asked = (): void => {};
    const waiting = new Promise<void>((r) => (asked = r));
    let give = (_: Registry): void => {};
    const later = new Promise<Registry>((r) => (give = r));
    // A thenable: the handler awaiting it is the sign that the request came before the registry.
    const registry: PromiseLike<Registry> = {
      then: (ok, fail) => {
        asked();
        return later.then(ok, fail);
      },
    };
    const server = await startMetricsServer({ address: '127.0.0.1', port: 0, registry, logger: createMemoryLogger() });
    try {
      const response = fetch(server.url);
      await waiting;
      give(prom.registry);
      const res = await response;
      expect(res.status).toBe(200);
      expect(parseSamples(await res.text()).get('problem_counter{reason="OOMKilling"}')).toBe(1);
    } finally {
      await server.close();
    }
  });

  test('a registry that failed to load answers 500 and is logged', async () => {
    const logger = createMemoryLogger();
    const failed = Promise.reject(new Error('cannot load prom-client'));
    failed.catch(() => {});
    const server = await startMetricsServer({ address: '127.0.0.1', port: 0, registry: failed, logger });
    try {
      const res = await fetch(server.url);
      expect(res.status).toBe(500);
      await res.text();
      expect(logger.records.filter((r) => r.level === 'error')).toEqual([expect.objectContaining({ msg: 'collecting metrics failed', error: 'cannot load prom-client' })]);
    } finally {
      await server.close();
    }
  });

  test('close() ends keep-alive connections and stops listening', async () => {
    const prom = createPrometheusExporter({ processMetrics: false });
    const server = await startMetricsServer({ address: '127.0.0.1', port: 0, registry: prom.registry, logger: createMemoryLogger() });
    await (await fetch(server.url)).text();
    await server.close();
    await expect(fetch(server.url)).rejects.toThrow();
  });

  test('what each answer says: the 404 points to /metrics, the 405 lists the methods, HEAD has the length and no body, keep-alive 65 s', async () => {
    await withServer(async (url) => {
      const missing = await fetch(new URL('/stats', url));
      expect([missing.status, missing.headers.get('content-type'), await missing.text()]).toEqual([404, 'text/plain; charset=utf-8', 'not found: try /metrics\n']);
      const post = await fetch(url, { method: 'POST' });
      expect([post.headers.get('allow'), post.headers.get('content-type'), await post.text()]).toEqual(['GET, HEAD', 'text/plain; charset=utf-8', 'method not allowed\n']);
      const get = await fetch(url);
      const body = await get.text();
      expect(get.headers.get('keep-alive')).toBe('timeout=65');
      const head = await fetch(url, { method: 'HEAD' });
      expect([head.headers.get('content-length'), await head.text()]).toEqual([String(Buffer.byteLength(body)), '']);
    });
  });

  test('logs the URL it serves', async () => {
    const logger = createMemoryLogger();
    const prom = createPrometheusExporter({ processMetrics: false });
    const server = await startMetricsServer({ address: '127.0.0.1', port: 0, registry: prom.registry, logger });
    await server.close();
    expect(logger.records.map((r) => [r.level, r.msg, r['url']])).toEqual([['info', 'serving metrics', server.url]]);
  });
});
