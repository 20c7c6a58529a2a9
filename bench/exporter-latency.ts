/**
 * Status in → PATCH received by the test apiserver: p50/p99 over many condition changes, with the
 * default 15 ms coalescing delay and with none, over one kept-alive HTTPS connection; plus how many
 * requests and TLS connections a run made; and how many Event requests a storm of 10,000 identical
 * events makes.
 *
 *   npm run build && node dist/bench/exporter-latency.js [trials=300]
 */
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createKubernetesExporter, loadConnection } from '../src/exporters/kubernetes/kubernetes-exporter.js';
import type { Condition } from '../src/core/problem.js';
import { kubeletNode, startTestApiserver } from '../test/helpers/test-apiserver.js';

const trials = Number(process.argv[2] ?? 300);
const api = await startTestApiserver();
api.addNode(kubeletNode('node-a'));
const kubeconfig = await api.writeKubeconfig(join(api.certs.dir, 'kubeconfig'));

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};

async function measure(coalesceMs: number): Promise<{ p50: number; p99: number; max: number; requests: number; connections: number }> {
  const connectionsBefore = api.connections();
  const requestsBefore = api.requests.length;
  const e = createKubernetesExporter({ connection: await loadConnection({ kubeconfig }), nodeName: 'node-a', coalesceMs });
  const ac = new AbortController();
  e.setMonitors([{ source: 'bench', file: 'bench', conditions: [{ type: 'BenchCondition', reason: 'Ok', message: '' }], problems: [], metricsReporting: true }]);
  await e.start(ac.signal);
  const latencies: number[] = [];
  for (let i = 0; i < trials; i++) {
    const status: Condition['status'] = i % 2 ? 'True' : 'False';
    const arrived = new Promise<number>((resolve) => {
      const off = api.onRequest((r) => {
        const body = r.body as { status?: { conditions?: { status: string }[] } } | undefined;
        if (r.method === 'PATCH' && body?.status?.conditions?.[0]?.status === status) {
          off();
          resolve(performance.now());
        }
      });
    });
    const t0 = performance.now();
    e.export({ source: 'bench', events: [], conditions: [{ type: 'BenchCondition', status, reason: status === 'True' ? 'Broken' : 'Ok', message: `trial ${i}`, transition: new Date(1_767_225_600_000 + i * 1000) }] });
    latencies.push((await arrived) - t0);
    // Let the PATCH answer come back before the next change, so each change is one PATCH.
    await new Promise((r) => setTimeout(r, 2));
  }
  ac.abort();
  await e.stop();
  return {
    p50: pct(latencies, 50),
    p99: pct(latencies, 99),
    max: Math.max(...latencies),
    requests: api.requests.length - requestsBefore,
    connections: api.connections() - connectionsBefore,
  };
}

/** 10,000 identical OOM events at once: how many Event requests reach the apiserver. */
async function storm(n: number): Promise<{ requests: number; count: number; ms: number }> {
  const before = api.requests.length;
  const e = createKubernetesExporter({ connection: await loadConnection({ kubeconfig }), nodeName: 'node-a' });
  const ac = new AbortController();
  await e.start(ac.signal);
  const t0 = performance.now();
  for (let i = 0; i < n; i++) e.export({ source: 'storm', events: [{ severity: 'warn', time: new Date(), reason: 'OOMKilling', message: 'Killed process 1 (stress)' }], conditions: [] });
  const stored = () => api.events().find((ev) => ev['source']?.component === 'storm');
  while ((stored()?.['count'] ?? 0) < 25) await new Promise((r) => setTimeout(r, 5));
  const ms = performance.now() - t0;
  ac.abort();
  await e.stop();
  const requests = api.requests.slice(before).filter((r) => r.path.includes('/events')).length;
  return { requests, count: stored()?.['count'] as number, ms };
}

const rows = [['15 (default)', await measure(15)], ['0', await measure(0)]] as const;
const st = await storm(10_000);
await api.close();
console.log(`Node ${process.version}, ${trials} condition changes each, test apiserver on 127.0.0.1 over HTTPS`);
console.log('| coalesceMs | p50 ms | p99 ms | max ms | requests | TLS connections |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const [name, r] of rows) {
  console.log(`| ${name} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.max.toFixed(2)} | ${r.requests} | ${r.connections} |`);
}
console.log(`\nStorm: 10000 identical OOMKilling events → ${st.requests} Event requests (stored count ${st.count}, spam bucket 25), settled in ${st.ms.toFixed(0)} ms`);
