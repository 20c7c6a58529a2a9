/**
 * The Kubernetes exporter: joins the condition store (when to write the Node's conditions), the
 * event queue (correlated Events) and the node client (the API calls). It converts our model to API
 * objects and back, and nothing more. The conditions it owns are recorded in the Node annotation
 * {@link ownedConditionsAnnotation}, written in the same status PATCH, so a type dropped from the
 * monitors is deleted from the Node later (NPD #423) and another writer's conditions are never touched.
 */
import { systemClock, type Clock } from '../../core/clock.js';
import { errorMessage } from '../../core/errors.js';
import { silentLogger, type Logger } from '../../core/logger.js';
import type { Condition, ConditionStatus, Event, MonitorDescription, Status } from '../../core/problem.js';
import { noopTelemetry, type Telemetry } from '../../core/telemetry.js';
import type { Exporter } from '../exporter.js';
import { createApiTransport, type ApiTransport } from '../../kube/api-transport.js';
import { createConditionStore, type ConditionSync } from './condition-store.js';
import type { Connection } from '../../kube/connection.js';
import { createEventCorrelator, formatTime } from './event-correlator.js';
import { createEventQueue } from './event-queue.js';
import { createNodeClient, type NodeClient } from '../../kube/node-client.js';
import type { WireEvent, WireNode, WireNodeCondition } from '../../kube/wire-types.js';

export { loadConnection, resolveNodeName } from '../../kube/connection.js';
export type { Connection, ConnectionFlags } from '../../kube/connection.js';

/** Node annotation listing the condition types this agent owns, comma-separated. */
export const ownedConditionsAnnotation = 'npd-ts.io/owned-conditions';

/** Options of {@link createKubernetesExporter}. */
export interface KubernetesExporterOptions {
  readonly connection: Connection;
  readonly nodeName: string;
  /** Namespace of the Events; '' or undefined means `default` (NPD's --event-namespace). */
  readonly eventNamespace?: string | undefined;
  /** NPD's --k8s-exporter-heartbeat-period. @default 300000 */
  readonly heartbeatMs?: number;
  /** NPD's --k8s-exporter-write-events. @default true */
  readonly writeEvents?: boolean;
  /** NPD's --k8s-exporter-update-node-conditions. @default true */
  readonly updateConditions?: boolean;
  /** NPD's --apiserver-wait-timeout. @default 300000 */
  readonly waitTimeoutMs?: number;
  /** NPD's --apiserver-wait-interval. @default 5000 */
  readonly waitIntervalMs?: number;
  /** Per read; doubles after a timeout, up to {@link writeTimeoutMs}. @default 10000 */
  readonly requestTimeoutMs?: number;
  /** Per write (PATCH, POST). @default 60000 */
  readonly writeTimeoutMs?: number;
  /**
   * The first request waits a random time up to this, so a fleet started at once (a DaemonSet
   * rollout with maxUnavailable 100 %) reaches the apiserver spread out. @default 10000
   */
  readonly startJitterMs?: number;
  /** Coalescing delay for condition changes. @default 15 */
  readonly coalesceMs?: number;
  /** Longest wait between retries (condition syncs, and the client's back-off gate). @default 60000 */
  readonly retryMaxMs?: number;
  /** Events held while the apiserver is slow or away. @default 1000 */
  readonly eventQueueCapacity?: number;
  /** @default systemClock */
  readonly clock?: Clock;
  /** @default Math.random */
  readonly random?: () => number;
  readonly logger?: Logger;
  readonly telemetry?: Telemetry;
  /** Replaces the HTTP client (tests of the joining logic). */
  readonly client?: NodeClient;
  /** Replaces the HTTP layer only (the fleet simulation: thousands of nodes in one process). */
  readonly transport?: ApiTransport;
}

/** The exporter, plus what the agent needs from it. */
export interface KubernetesExporter extends Exporter {
  /** Waits (bounded, non-fatal) for GET of the own Node, then starts sending. */
  start(signal: AbortSignal): Promise<void>;
  /** The Node's current conditions of the types this agent owns; undefined if the Node cannot be read. */
  readNodeConditions(): Promise<Condition[] | undefined>;
  /** The conditions held now (for `/conditions`). */
  currentConditions(): Condition[];
}

const toWire = (c: Condition, now: number): WireNodeCondition => ({
  type: c.type,
  status: c.status,
  reason: c.reason,
  message: c.message,
  lastHeartbeatTime: formatTime(now),
  lastTransitionTime: formatTime(c.transition.getTime()),
});

const fromWire = (c: WireNodeCondition): Condition => ({
  type: c.type,
  status: c.status as ConditionStatus,
  transition: new Date(c.lastTransitionTime ?? 0),
  reason: c.reason ?? '',
  message: c.message ?? '',
});

/** Parses the owned-conditions annotation of a Node. */
export function parseOwnedAnnotation(node: WireNode): string[] {
  const v = node.metadata?.annotations?.[ownedConditionsAnnotation];
  return v ? v.split(',').map((s) => s.trim()).filter((s) => s !== '') : [];
}

/** The strategic merge patch of one sync: owned conditions set, stale ones deleted, ownership recorded. */
export function buildStatusPatch(sync: ConditionSync, now: number): object {
  return {
    metadata: { annotations: { [ownedConditionsAnnotation]: sync.owned.join(',') } },
    status: {
      conditions: [...sync.conditions.map((c) => toWire(c, now)), ...sync.remove.map((type) => ({ $patch: 'delete', type }))],
    },
  };
}

/** Creates the Kubernetes exporter. Nothing is sent before {@link KubernetesExporter.start}. */
export function createKubernetesExporter(options: KubernetesExporterOptions): KubernetesExporter {
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const logger = options.logger ?? silentLogger;
  const telemetry = options.telemetry ?? noopTelemetry;
  const retryMaxMs = options.retryMaxMs ?? 60_000;
  const transport = options.client ? undefined : options.transport ?? createApiTransport({
    connection: options.connection, timeoutMs: options.requestTimeoutMs ?? 10_000, writeTimeoutMs: options.writeTimeoutMs ?? 60_000, telemetry, clock,
  });
  const client = options.client ?? createNodeClient({
    transport: transport!, nodeName: options.nodeName, clock, random, baseDelayMs: Math.min(1000, retryMaxMs), maxDelayMs: retryMaxMs,
  });
  const namespace = options.eventNamespace || 'default';
  const stopper = new AbortController();
  let node: { uid: string | undefined; owned: string[] } | undefined;
  /** The Node read by start(), handed to the first readNodeConditions() instead of a second GET. */
  let readAtStart: WireNode | undefined;
  let declared: string[] = [];
  let running = false;

  const remember = (n: WireNode): void => {
    node = { uid: n.metadata?.uid, owned: parseOwnedAnnotation(n) };
  };

  const store = createConditionStore({
    clock,
    random,
    heartbeatMs: options.heartbeatMs ?? 300_000,
    coalesceMs: options.coalesceMs ?? 15,
    retryMaxMs,
    logger,
    sink: async (sync, signal) => {
      if (node === undefined) {
        // Never read (the apiserver was away at start): learn the ownership record first.
        remember(await client.getNode(signal));
      }
      const keep = new Set(sync.owned);
      const extra = (node?.owned ?? []).filter((t) => !keep.has(t) && !sync.remove.includes(t) && declared.length > 0);
      const full = { ...sync, remove: [...sync.remove, ...extra] };
      remember(await client.patchNodeStatus(buildStatusPatch(full, clock.now()), signal));
    },
  });
  const queue = createEventQueue({
    client,
    correlator: createEventCorrelator({ clock }),
    clock,
    random,
    capacity: options.eventQueueCapacity ?? 1000,
    retryMaxMs,
    telemetry,
    logger,
  });

  const toEvent = (source: string, e: Event): WireEvent => ({
    // An event about a Pod lives in the Pod's namespace (apiserver validation), so `kubectl describe pod` shows it.
    metadata: { namespace: e.pod?.namespace ?? namespace },
    involvedObject: e.pod ? { kind: 'Pod', name: e.pod.name, namespace: e.pod.namespace, uid: e.pod.uid, apiVersion: 'v1' } : {
      kind: 'Node',
      name: options.nodeName,
      apiVersion: 'v1',
      // Before the Node was read, its name stands in for the UID, as NPD did; `kubectl describe
      // node` looks events up by either.
      uid: node?.uid ?? options.nodeName,
      // apiserver validation: a non-default event namespace must match the object's.
      ...(namespace !== 'default' ? { namespace } : {}),
    },
    reason: e.reason,
    message: e.message,
    type: e.severity === 'warn' ? 'Warning' : 'Normal',
    source: { component: source, host: options.nodeName },
    reportingComponent: source,
    reportingInstance: options.nodeName,
  });

  return {
    name: 'kubernetes',
    setMonitors(monitors: readonly MonitorDescription[]) {
      declared = [...new Set(monitors.flatMap((m) => m.conditions.map((c) => c.type)))];
      store.setOwned(declared);
    },
    export(status: Status) {
      if (options.updateConditions !== false && status.conditions.length > 0) store.update(status.conditions);
      if (options.writeEvents !== false) for (const e of status.events) queue.push(toEvent(status.source, e));
    },
    healthy: () => store.healthy(),
    async start(signal) {
      const jitter = Math.floor((options.startJitterMs ?? 10_000) * random());
      if (jitter > 0) await clock.sleep(jitter, signal).catch(() => undefined);
      if (signal.aborted) return;
      const deadline = clock.now() + (options.waitTimeoutMs ?? 300_000);
      for (;;) {
        try {
          const n = await client.getNode(signal, true);
          readAtStart = n;
          remember(n);
          store.seed([], parseOwnedAnnotation(n));
          logger.info('node found', { node: options.nodeName });
          break;
        } catch (err) {
          if (signal.aborted) return;
          if (clock.now() >= deadline) {
            logger.warn('node not readable before the wait timeout; continuing', { node: options.nodeName, error: errorMessage(err) });
            break;
          }
          logger.info('waiting for the node', { node: options.nodeName, error: errorMessage(err) });
          await clock.sleep(options.waitIntervalMs ?? 5000, signal).catch(() => undefined);
          if (signal.aborted) return;
        }
      }
      const run = AbortSignal.any([signal, stopper.signal]);
      running = true;
      if (options.updateConditions !== false) void store.run(run);
      if (options.writeEvents !== false) void queue.run(run);
    },
    async readNodeConditions() {
      let n: WireNode;
      try {
        n = readAtStart ?? (await client.getNode(stopper.signal));
        readAtStart = undefined;
      } catch (err) {
        logger.warn('cannot read the node conditions', { error: errorMessage(err) });
        return undefined;
      }
      remember(n);
      const owned = new Set([...parseOwnedAnnotation(n), ...declared]);
      const mine = (n.status?.conditions ?? []).filter((c) => owned.has(c.type)).map(fromWire);
      store.seed(mine, parseOwnedAnnotation(n));
      return mine;
    },
    currentConditions: () => store.current(),
    async stop() {
      stopper.abort();
      // The last change may still be waiting for its coalescing delay: give it one quick try.
      if (running && options.updateConditions !== false) await store.flush(AbortSignal.timeout(2000));
      running = false;
      transport?.close();
    },
  };
}
