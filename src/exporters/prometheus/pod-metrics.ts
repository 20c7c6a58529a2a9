/**
 * `npd_pod_oom_kills_total{namespace,pod,container,scope}` from the events the pod OOM attribution
 * step reports. Cardinality stays bounded by the pods on the node: when a scrape finds a pod's log
 * directory gone (`podPresent` is false), its series are removed once it has stayed gone for
 * `retentionMs`, long enough for Prometheus to scrape the last value. The check runs at scrape time
 * (prom-client's `collect`), so nothing ticks while nobody scrapes.
 */
import { Counter, type Registry } from './prom-client.js';
import type { Clock } from '../../core/clock.js';
import type { Status } from '../../core/problem.js';
import { podMetrics } from './metric-catalog.js';

/** Options of {@link createPodMetrics}. */
export interface PodMetricsOptions {
  /** Whether the pod (by UID) still has its log directory. @default always true (never removed) */
  readonly podPresent?: (uid: string) => boolean;
  readonly clock: Clock;
  /** How long a pod stays gone before its series are removed. @default 300000 */
  readonly retentionMs?: number;
}

/** The pod metrics of one registry. */
export interface PodMetrics {
  /** Counts the attributed OOM kills of one report. */
  record(status: Status): void;
}

interface PodSeries {
  readonly labels: Set<string>;
  goneSince: number | undefined;
}

/** Creates `npd_pod_oom_kills_total` in `registry`. */
export function createPodMetrics(registry: Registry, options: PodMetricsOptions): PodMetrics {
  const { clock } = options;
  const retentionMs = options.retentionMs ?? 300_000;
  const spec = podMetrics.oomKills;
  /** Label sets of each pod's series, by pod UID. */
  const pods = new Map<string, PodSeries>();
  const counter: Counter = new Counter({
    name: spec.name,
    help: spec.help,
    labelNames: spec.labels,
    registers: [registry],
    collect() {
      const present = options.podPresent;
      if (present === undefined) return;
      const now = clock.now();
      for (const [uid, series] of pods) {
        if (present(uid)) {
          series.goneSince = undefined;
          continue;
        }
        series.goneSince ??= now;
        if (now - series.goneSince < retentionMs) continue;
        for (const l of series.labels) counter.remove(JSON.parse(l) as Record<string, string>);
        pods.delete(uid);
      }
    },
  });

  return {
    record(status) {
      for (const e of status.events) {
        if (e.pod === undefined || e.oomKill === undefined) continue;
        const labels = { namespace: e.pod.namespace, pod: e.pod.name, container: e.oomKill.container, scope: e.oomKill.scope };
        counter.inc(labels);
        let series = pods.get(e.pod.uid);
        if (!series) pods.set(e.pod.uid, (series = { labels: new Set(), goneSince: undefined }));
        series.labels.add(JSON.stringify(labels));
      }
    },
  };
}
