/**
 * What the Kubernetes client costs in memory: the RSS (VmRSS from /proc/<pid>/status) of a child
 * Node process that (a) does nothing, (b) imports node:https, (c) imports our exporter, (d) uses it
 * for a GET node + PATCH status + event create against the test apiserver, (e) imports
 * @kubernetes/client-node, (f) uses it for a readNode. Median of 3 runs each.
 *
 *   npm run build && node dist/bench/rss-client.js
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { kubeletNode, startTestApiserver } from '../test/helpers/test-apiserver.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const ours = new URL('../src/exporters/kubernetes/kubernetes-exporter.js', import.meta.url).href;

const api = await startTestApiserver();
api.addNode(kubeletNode('node-a'));
const kubeconfig = await api.writeKubeconfig(join(api.certs.dir, 'kubeconfig'));

const cases: [string, string][] = [
  ['baseline (empty process)', ''],
  ['import node:https', `await import('node:https');`],
  ['import our exporter', `await import(${JSON.stringify(ours)});`],
  ['our exporter: GET + PATCH + event', `
    const k = await import(${JSON.stringify(ours)});
    const e = k.createKubernetesExporter({ connection: await k.loadConnection({ kubeconfig: ${JSON.stringify(kubeconfig)} }), nodeName: 'node-a', coalesceMs: 0 });
    e.setMonitors([{ source: 'm', file: 'm', conditions: [{ type: 'KernelDeadlock', reason: 'r', message: 'm' }], problems: [], metricsReporting: true }]);
    await e.start(new AbortController().signal);
    e.export({ source: 'm', events: [{ severity: 'warn', time: new Date(), reason: 'OOMKilling', message: 'x' }], conditions: [{ type: 'KernelDeadlock', status: 'False', reason: 'r', message: 'm', transition: new Date() }] });
    await new Promise((r) => setTimeout(r, 300));`],
  ['import @kubernetes/client-node', `await import('@kubernetes/client-node');`],
  ['client-node: readNode', `
    const k8s = await import('@kubernetes/client-node');
    const kc = new k8s.KubeConfig(); kc.loadFromFile(${JSON.stringify(kubeconfig)});
    await kc.makeApiClient(k8s.CoreV1Api).readNode({ name: 'node-a' });`],
];

async function rssOf(code: string): Promise<number> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', `${code}\nprocess.stdout.write('ready\\n'); setInterval(() => {}, 1000);`], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
    child.on('exit', (c) => reject(new Error(`child exited ${c}`)));
  });
  await new Promise((r) => setTimeout(r, 200));
  const status = await readFile(`/proc/${child.pid}/status`, 'utf8');
  child.kill('SIGKILL');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

const rows: [string, number][] = [];
for (const [name, code] of cases) {
  const runs = [await rssOf(code), await rssOf(code), await rssOf(code)].sort((a, b) => a - b);
  rows.push([name, runs[1] as number]);
}
await api.close();
const base = rows[0]?.[1] ?? 0;
console.log(`Node ${process.version}, VmRSS of a child process, median of 3`);
console.log('| case | RSS MiB | over baseline MiB |');
console.log('|---|---:|---:|');
for (const [name, mib] of rows) console.log(`| ${name} | ${mib.toFixed(1)} | ${(mib - base).toFixed(1)} |`);
