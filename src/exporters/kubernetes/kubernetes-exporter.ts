/**
 * The Kubernetes exporter: joins the condition store (when to write the Node's conditions), the
 * event queue (correlated Events) and the node client (the API calls). It converts our model to API
 * objects and back, and nothing more. The conditions it owns are recorded in a Node annotation of
 * its own (ownership.ts), written in the same status PATCH, so a type dropped from the monitors is
 * deleted from the Node later (NPD #423) while another writer's conditions — another agent's on the
 * same node included — are never touched.
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

import { ownershipInstance, parseRecords, recordKey, recordValue, viewOwnership, type OwnershipRecord } from './ownership.js';

export { loadConnection, resolveNodeName } from '../../kube/connection.js';
export type { Connection, ConnectionFlags } from '../../kube/connection.js';
export { ownedConditionsAnnotation, parseRecords, recordKey } from './ownership.js';

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
  /** This agent instance's name in its ownership record. @default ownershipInstance(podName, random) */
  readonly instance?: string;
  /** The pod's name (`$POD_NAME`), which names the ownership record (see ownershipInstance in ownership.ts). */
  readonly podName?: string;
  /** Replaces the HTTP layer only (the fleet simulation: thousands of nodes in one process). */
  readonly transport?: ApiTransport;
}

/** The exporter, plus what the agent needs from it. */
export interface KubernetesExporter extends Exporter {
  /**
   * Waits the start jitter, then (bounded, non-fatal) for GET of the own Node, then starts sending.
   * Monitors need not wait for it: `adopt`, when given, is called with the Node's conditions this
   * agent answers for once the Node was read and before the first sync, so the monitors can continue
   * from them (NPD #304) and nothing flips to a default first.
   */
  start(signal: AbortSignal, adopt?: (onNode: readonly Condition[]) => Promise<void>): Promise<void>;
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

/**
 * The strategic merge patch of one sync: owned conditions set, stale ones deleted, this instance's
 * ownership record written (`ownKey`) and the records that are over (`overKeys`) removed.
 */
export function buildStatusPatch(sync: ConditionSync, now: number, ownKey: string, overKeys: readonly string[], retired = false): object {
  return {
    metadata: { annotations: { [ownKey]: recordValue(sync.owned, retired ? 'retired' : now), ...Object.fromEntries(overKeys.map((k) => [k, null])) } },
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
    transport: transport!, nodeName: options.nodeName, clock, random, baseDelayMs: Math.min(2000, retryMaxMs), maxDelayMs: retryMaxMs,
  });
  const namespace = options.eventNamespace || 'default';
  const stopper = new AbortController();
  const heartbeatMs = options.heartbeatMs ?? 300_000;
  const ownKey = recordKey(options.instance ?? ownershipInstance(options.podName, random));
  let node: { uid: string | undefined; records: OwnershipRecord[] } | undefined;
  /** Whether this instance's record may be on the Node (a PATCH carrying it was sent): retired at stop. */
  let recorded = false;
  /** Set at stop: the last sync retires the record in the same PATCH. */
  let retiring = false;
  /** The Node read by start(), handed to the first readNodeConditions() instead of a second GET. */
  let readAtStart: WireNode | undefined;
  let declared: string[] = [];
  let running = false;

  const remember = (n: WireNode): { uid: string | undefined; records: OwnershipRecord[] } => (node = { uid: n.metadata?.uid, records: parseRecords(n) });
  /** Types this instance answers for on `n`: its own record's, and those of records that are over. */
  const answerable = (n: WireNode): string[] => {
    const records = parseRecords(n);
    const own = records.find((r) => r.key === ownKey)?.types ?? [];
    return [...new Set([...own, ...viewOwnership(records, ownKey, clock.now(), heartbeatMs).orphaned])].sort();
  };

  const store = createConditionStore({
    clock,
    random,
    heartbeatMs,
    coalesceMs: options.coalesceMs ?? 15,
    retryMaxMs,
    logger,
    sink: async (sync, signal) => {
      // Never read (the apiserver was away at start): learn the ownership records first.
      let seen = node ?? remember(await client.getNode(signal));
      const keep = new Set(sync.owned);
      // The records are as the last answer showed them; if that answer shows another agent's
      // record newly over (it retired meanwhile), clean up after it in a second PATCH at once.
      for (let pass = 0; pass < 2; pass++) {
        const view = viewOwnership(seen.records, ownKey, clock.now(), heartbeatMs);
        // Before the monitors are known nothing is removed (the store holds back too).
        const known = declared.length > 0;
        if (pass > 0 && (!known || view.over.length === 0)) break;
        const remove = known ? [...new Set([...sync.remove, ...view.orphaned])].filter((t) => !keep.has(t) && !view.claimed.has(t)) : sync.remove;
        recorded = !retiring;
        seen = remember(await client.patchNodeStatus(buildStatusPatch({ ...sync, remove }, clock.now(), ownKey, known ? view.over : [], retiring), signal));
      }
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

  /** The conditions of `n` of the types this agent owns; seeds the store with them. */
  const conditionsOn = (n: WireNode): Condition[] => {
    remember(n);
    const owned = new Set([...answerable(n), ...declared]);
    const mine = (n.status?.conditions ?? []).filter((c) => owned.has(c.type)).map(fromWire);
    store.seed(mine, answerable(n));
    return mine;
  };
  /** The Node's conditions of the types this agent owns (the Node read at start, else a GET); seeds the store. */
  const readNodeConditions = async (): Promise<Condition[] | undefined> => {
    try {
      const n = readAtStart ?? (await client.getNode(stopper.signal));
      readAtStart = undefined;
      return conditionsOn(n);
    } catch (err) {
      logger.warn('cannot read the node conditions', { error: errorMessage(err) });
      return undefined;
    }
  };

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
    async start(signal, adopt) {
      const jitter = Math.floor((options.startJitterMs ?? 10_000) * random());
      if (jitter > 0) await clock.sleep(jitter, signal).catch(() => undefined);
      if (signal.aborted) return;
      const deadline = clock.now() + (options.waitTimeoutMs ?? 300_000);
      for (;;) {
        try {
          const n = await client.getNode(signal, true);
          readAtStart = n;
          remember(n);
          store.seed([], answerable(n));
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
      if (adopt && readAtStart) {
        const onNode = conditionsOn(readAtStart);
        readAtStart = undefined;
        await adopt(onNode);
        if (signal.aborted) return;
      }
      const run = AbortSignal.any([signal, stopper.signal]);
      running = true;
      if (options.updateConditions !== false) void store.run(run);
      if (options.writeEvents !== false) void queue.run(run);
    },
    readNodeConditions,
    currentConditions: () => store.current(),
    async stop() {
      stopper.abort();
      // The last change may still be waiting for its coalescing delay: give it one quick try, with
      // the record retired in the same PATCH (the next agent on this node may clean up after this one).
      retiring = true;
      if (running && options.updateConditions !== false) await store.flush(AbortSignal.timeout(2000));
      if (recorded) {
        // Nothing was waiting: retire the record alone.
        const retire = { metadata: { annotations: { [ownKey]: recordValue([...new Set([...declared, ...store.current().map((c) => c.type)])].sort(), 'retired') } } };
        await client.patchNodeStatus(retire, AbortSignal.timeout(2000)).catch((err: unknown) => logger.warn('cannot retire the ownership record', { error: errorMessage(err) }));
        recorded = false;
      }
      running = false;
      transport?.close();
    },
  };
}
