/**
 * Shared setup of the Kubernetes integration tests: a test apiserver with a kubelet-made Node, and
 * exporters connected to it over real HTTPS through a kubeconfig (nothing of the client mocked).
 */
import { createKubernetesExporter, loadConnection, type KubernetesExporter, type KubernetesExporterOptions } from '../../src/exporters/kubernetes/kubernetes-exporter.js';
import type { Condition, MonitorDescription } from '../../src/core/problem.js';
import { kubeconfigPath, kubeletNode, startTestApiserver, type TestApiserver } from '../helpers/test-apiserver.js';
import { isListOrWatch, type LoggedRequest } from '../helpers/test-apiserver-routes.js';
import type { TestCertificates } from '../helpers/tls-certs.js';

export const nodeName = 'node-a';

/** A monitor that owns `types`. */
export function monitor(source: string, types: string[]): MonitorDescription {
  return {
    source,
    file: `${source}.json`,
    conditions: types.map((type) => ({ type, reason: `No${type}`, message: `no ${type}` })),
    problems: [],
    metricsReporting: true,
  };
}

/** A condition at second precision (what the apiserver keeps). */
export function cond(type: string, status: Condition['status'], reason: string, message = `${type} is ${status}`, at = '2026-01-01T00:00:00Z'): Condition {
  return { type, status, reason, message, transition: new Date(at) };
}

/** An exporter whose `start` defaults to the fixture's signal. */
export type TestExporter = Omit<KubernetesExporter, 'start'> & { start(signal?: AbortSignal): Promise<void> };

/** A started apiserver with `node-a`, plus a way to make exporters against it. */
export interface Fixture {
  readonly api: TestApiserver;
  readonly kubeconfig: string;
  exporter(overrides?: Partial<KubernetesExporterOptions>): Promise<TestExporter>;
  /** Requests the agent made (by user agent). */
  agentRequests(): LoggedRequest[];
  statusPatches(): LoggedRequest[];
  close(): Promise<void>;
}

/** Starts the fixture; `certs` can be shared across tests of a file (openssl is slowish). */
export async function startFixture(certs?: TestCertificates): Promise<Fixture> {
  const api = await startTestApiserver(certs ? { certs } : {});
  api.addNode(kubeletNode(nodeName));
  const kubeconfig = await api.writeKubeconfig(kubeconfigPath(api, `kubeconfig-${api.port}`));
  const made: KubernetesExporter[] = [];
  const aborts: AbortController[] = [];
  return {
    api,
    kubeconfig,
    async exporter(overrides = {}) {
      const connection = await loadConnection({ kubeconfig });
      const e = createKubernetesExporter({
        connection,
        nodeName,
        heartbeatMs: 60_000,
        coalesceMs: 10,
        waitTimeoutMs: 5_000,
        waitIntervalMs: 50,
        retryMaxMs: 300,
        requestTimeoutMs: 2_000,
        startJitterMs: 0,
        ...overrides,
      });
      made.push(e);
      const ac = new AbortController();
      aborts.push(ac);
      const start = e.start.bind(e);
      return { ...e, name: e.name, start: (signal?: AbortSignal) => start(signal ?? ac.signal) };
    },
    agentRequests: () => api.requests.filter((r) => r.userAgent === 'npd-ts'),
    statusPatches: () => api.requests.filter((r) => r.userAgent === 'npd-ts' && r.method === 'PATCH' && r.path.endsWith('/status') && r.status === 200),
    async close() {
      for (const a of aborts) a.abort();
      await Promise.all(made.map((e) => e.stop()));
      const lists = api.requests.filter((r) => r.userAgent === 'npd-ts' && isListOrWatch(r));
      await api.close();
      if (lists.length > 0) throw new Error(`the agent sent LIST/WATCH: ${lists.map((r) => r.path).join(', ')}`);
    },
  };
}

/** The Node's conditions of `types`, in our model, sorted by type. */
export function nodeConditions(api: TestApiserver, types: readonly string[]): Condition[] {
  const n = api.node(nodeName);
  return (n?.['status']?.conditions ?? [])
    .filter((c: { type: string }) => types.includes(c.type))
    .map((c: Record<string, string>) => ({ type: c['type'], status: c['status'], reason: c['reason'], message: c['message'], transition: new Date(c['lastTransitionTime'] as string) }))
    .sort((a: Condition, b: Condition) => a.type.localeCompare(b.type));
}
