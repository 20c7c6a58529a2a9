/** The Kubernetes exporter on a manual clock with a recording node client, for unit tests of the joining logic. */
import { createManualClock } from '../../../src/core/clock.js';
import { createKubernetesExporter, ownedConditionsAnnotation, type KubernetesExporterOptions } from '../../../src/exporters/kubernetes/kubernetes-exporter.js';
import { staticToken } from '../../../src/kube/token-source.js';
import type { WireNodeCondition } from '../../../src/kube/wire-types.js';
import type { Condition, MonitorDescription } from '../../../src/core/problem.js';
import { createFakeNodeClient } from './fake-node-client.js';

export const connection = { server: 'https://127.0.0.1:1', ca: undefined, cert: undefined, key: undefined, insecure: false, auth: staticToken('t') };
export const monitor = (types: string[]): MonitorDescription => ({
  source: 'kernel-monitor', file: 'k.json', metricsReporting: true, problems: [],
  conditions: types.map((type) => ({ type, reason: `No${type}`, message: '' })),
});
export const cond = (type: string, status: Condition['status'] = 'True'): Condition => ({ type, status, reason: 'R', message: 'M', transition: new Date('2026-01-01T00:00:00.500Z') });
/** A condition as the Node holds it. */
export const wire = (type: string, at = '2026-01-01T00:00:00Z'): WireNodeCondition => ({ type, status: 'True', reason: 'R', message: 'M', lastHeartbeatTime: at, lastTransitionTime: at });
/** The annotation key of instance `id`'s ownership record. */
export const key = (id: string): string => `${ownedConditionsAnnotation}.${id}`;

/** A status PATCH as the exporter sends it. */
export interface PatchBody {
  metadata: { annotations: Record<string, string | null> };
  status?: { conditions: { type: string; status?: string; $patch?: string }[] };
}

/** The exporter for node-a at 2026-01-01T00:10:00.250Z, random 0.5, no start jitter, waiting 10 s for the Node at 1 s. */
export function rig(overrides: Partial<KubernetesExporterOptions> = {}) {
  const clock = createManualClock(Date.parse('2026-01-01T00:10:00.250Z'));
  const client = createFakeNodeClient();
  const exporter = createKubernetesExporter({ connection, nodeName: 'node-a', clock, random: () => 0.5, client, waitTimeoutMs: 10_000, waitIntervalMs: 1000, startJitterMs: 0, ...overrides });
  const ac = new AbortController();
  const patches = (): PatchBody[] => client.calls.filter((c) => c.call === 'patchNodeStatus').map((c) => c.args[0] as PatchBody);
  return { clock, client, exporter, ac, patches };
}
