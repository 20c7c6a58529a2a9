/**
 * The fleet simulation of bench/fleet.ts (issue 11): N nodes, each with its own production
 * Kubernetes exporter (node client and its back-off gate, condition store, event correlator and
 * queue, heartbeat), on one virtual clock, against the in-process test apiserver with its admission
 * model. Only the wire is swapped (test/helpers/test-apiserver-inprocess.ts says why). One timeline:
 * start of the whole fleet and an hour of steady state, a fleet-wide incident, an event storm, a
 * five-minute outage with changes during it; the figures of each scenario come from the requests the
 * apiserver saw in that scenario's window.
 */
import type { Condition, Event, MonitorDescription, Status } from '../../src/core/problem.js';
import { createKubernetesExporter, type KubernetesExporter } from '../../src/exporters/kubernetes/kubernetes-exporter.js';
import { staticToken } from '../../src/kube/token-source.js';
import type { WireNodeCondition } from '../../src/kube/wire-types.js';
import { createInProcessApiserver, type SeenRequest } from '../../test/helpers/test-apiserver-inprocess.js';
import { kubeletNode } from '../../test/helpers/test-apiserver.js';
import { createFleetClock, settle } from './fleet-clock.js';
import { seededRandom } from './prng.js';

/** What to simulate. */
export interface FleetOptions {
  readonly nodes: number;
  /** The apiserver's cap on mutating requests in flight. */
  readonly maxInflight: number;
  /** The apiserver's service time per request. */
  readonly serviceMs: number;
  /** Identical OOM lines each node logs during the storm minute. */
  readonly stormLines: number;
  readonly seed: number;
  /** Progress lines (stderr). */
  readonly progress?: (line: string) => void;
}

/** The figures, in the order and with the names of issue 11's JSON line. */
export interface FleetFigures {
  nodes: number;
  steadyRequestsPerNodeHour: number;
  listWatchRequests: number;
  startupPeakRps: number;
  startupConvergeP99S: number;
  incidentRequestsPerNodePerChange: number;
  incident429PerNode: number;
  incidentConvergeP99S: number;
  stormEventRequestsPerNode: number;
  stormOtherEventDelayS: number;
  outageRequestsPerNode: number;
  recoveryPeakRps: number;
  recoveryConvergeP99S: number;
  nodesConvergedExactly: number;
  bytesPerNode: number;
}

const sec = 1000;
const min = 60 * sec;
const monitors: MonitorDescription[] = [
  { source: 'kernel-monitor', file: 'kernel-monitor.json', metricsReporting: true, problems: [],
    conditions: [{ type: 'KernelDeadlock', reason: 'KernelHasNoDeadlock', message: 'kernel has no deadlock' }, { type: 'ReadonlyFilesystem', reason: 'FilesystemIsNotReadOnly', message: 'Filesystem is not read-only' }] },
  { source: 'ntp-custom-plugin-monitor', file: 'ntp.json', metricsReporting: true, problems: [],
    conditions: [{ type: 'NTPProblem', reason: 'NTPIsUp', message: 'ntp service is up' }] },
];
const owned = monitors.flatMap((m) => m.conditions.map((c) => c.type));

const p99 = (xs: number[]): number => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(0.99 * s.length) - 1)] as number;
};
const round = (x: number, digits = 2): number => Math.round(x * 10 ** digits) / 10 ** digits;

interface SimNode {
  readonly name: string;
  readonly exporter: KubernetesExporter;
  readonly random: () => number;
  /** A change the apiserver has not caught up with yet: since when, and in which scenario. */
  pending: { since: number; scenario: string } | undefined;
}

/** Runs the whole timeline and returns the figures. */
export async function runFleet(options: FleetOptions): Promise<FleetFigures> {
  const say = options.progress ?? (() => undefined);
  const t0 = Date.parse('2026-01-01T00:00:00Z');
  const clock = createFleetClock(t0);
  const api = createInProcessApiserver({ clock, maxInflight: options.maxInflight, serviceMs: options.serviceMs });
  const seen: { at: number; resource: string; status: number }[] = [];
  const converged = new Map<string, number[]>();
  const taskHungAt = new Map<string, number>();
  const taskHungDelays: number[] = [];
  const byName = new Map<string, SimNode>();

  const equal = (node: SimNode, onServer: readonly WireNodeCondition[]): boolean => {
    const mine = node.exporter.currentConditions();
    const theirs = onServer.filter((c) => owned.includes(c.type));
    return mine.length === theirs.length && mine.every((c) => theirs.some((w) => w.type === c.type && w.status === c.status && w.reason === c.reason && w.message === c.message));
  };
  api.onAnswer((r: SeenRequest) => {
    seen.push({ at: r.at, resource: r.req.resource, status: r.status });
    const node = byName.get(r.node);
    if (node === undefined || r.status < 200 || r.status >= 300) return;
    if (r.req.resource === 'nodes/status' && node.pending !== undefined) {
      const conditions = (r.body as { status?: { conditions?: WireNodeCondition[] } }).status?.conditions ?? [];
      if (equal(node, conditions)) {
        const list = converged.get(node.pending.scenario) ?? [];
        list.push(r.at - node.pending.since);
        converged.set(node.pending.scenario, list);
        node.pending = undefined;
      }
    }
    if (r.req.resource === 'events' && (r.body as { reason?: string }).reason === 'TaskHung' && taskHungAt.has(r.node)) {
      taskHungDelays.push(r.at - (taskHungAt.get(r.node) as number));
      taskHungAt.delete(r.node);
    }
  });

  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const stop = new AbortController();
  const nodes: SimNode[] = [];
  for (let i = 0; i < options.nodes; i++) {
    const name = `node-${String(i).padStart(5, '0')}`;
    api.addNode(kubeletNode(name, new Date(t0)) as Record<string, any>);
    const random = seededRandom(options.seed * 1_000_003 + i);
    const exporter = createKubernetesExporter({
      connection: { server: 'https://127.0.0.1:6443', ca: undefined, cert: undefined, key: undefined, insecure: false, auth: staticToken(undefined) },
      nodeName: name,
      clock,
      random,
      transport: api.transport(name),
    });
    const node: SimNode = { name, exporter, random, pending: { since: t0, scenario: 'startup' } };
    nodes.push(node);
    byName.set(name, node);
  }

  const cond = (type: string, status: Condition['status'], reason: string, message: string): Condition =>
    ({ type, status, reason, message, transition: new Date(Math.floor(clock.now() / sec) * sec) });
  const report = (node: SimNode, source: string, conditions: Condition[], events: Event[]): void => {
    const status: Status = { source, conditions, events };
    node.exporter.export(status);
  };
  const event = (severity: Event['severity'], reason: string, message: string): Event => ({ severity, reason, message, time: new Date(clock.now()) });
  /** Runs `fn` for every node at `at` plus a per-node offset within `spreadMs`. */
  const everyNode = (at: number, spreadMs: number, fn: (n: SimNode) => void, pendingScenario?: string): void => {
    for (const n of nodes) {
      const when = at + Math.floor(n.random() * spreadMs);
      void clock.sleep(when - clock.now(), stop.signal).then(() => {
        fn(n);
        if (pendingScenario) n.pending ??= { since: clock.now(), scenario: pendingScenario };
      }, () => undefined);
    }
  };

  // The agent's order (src/app/run.ts): start (waits for its Node), read its conditions, monitors, first report.
  for (const n of nodes) {
    void (async () => {
      await n.exporter.start(stop.signal);
      await n.exporter.readNodeConditions();
      n.exporter.setMonitors(monitors);
      report(n, 'kernel-monitor', [cond('KernelDeadlock', 'False', 'KernelHasNoDeadlock', 'kernel has no deadlock'), cond('ReadonlyFilesystem', 'False', 'FilesystemIsNotReadOnly', 'Filesystem is not read-only')], []);
      report(n, 'ntp-custom-plugin-monitor', [cond('NTPProblem', 'False', 'NTPIsUp', 'ntp service is up')], []);
    })();
  }
  await clock.runUntil(t0 + 1 * min);
  gc?.();
  const bytesPerNode = Math.round((process.memoryUsage().heapUsed - heapBefore) / options.nodes);
  say(`start-up done: ${seen.length} requests, heap ${Math.round(process.memoryUsage().heapUsed / 2 ** 20)} MiB`);
  await clock.runUntil(t0 + 60 * min);
  say(`steady hour done: ${seen.length} requests`);

  const window = (from: number, to: number, resource?: (r: string) => boolean) =>
    seen.filter((r) => r.at >= from && r.at < to && (resource === undefined || resource(r.resource)));
  const peakRps = (from: number, to: number): number => {
    const buckets = new Map<number, number>();
    for (const r of window(from, to)) buckets.set(Math.floor(r.at / sec), (buckets.get(Math.floor(r.at / sec)) ?? 0) + 1);
    return Math.max(0, ...buckets.values());
  };

  // Incident: every node's NTPProblem turns True in the same second, and False 5 min later.
  const t1 = t0 + 61 * min;
  everyNode(t1, sec, (n) => report(n, 'ntp-custom-plugin-monitor', [cond('NTPProblem', 'True', 'NTPIsDown', 'ntp service is not running')], [event('warn', 'NTPIsDown', 'ntp service is not running')]), 'incident');
  everyNode(t1 + 5 * min, sec, (n) => report(n, 'ntp-custom-plugin-monitor', [cond('NTPProblem', 'False', 'NTPIsUp', 'ntp service is up')], [event('info', 'NTPIsUp', 'ntp service is up')]), 'incident');
  await clock.runUntil(t1 + 10 * min);
  say(`incident done: ${seen.length} requests`);

  // Event storm: 10,000 identical OOM lines per node in one minute, a TaskHung in the middle of it.
  const t2 = t1 + 10 * min;
  const oom = 'Out of memory: Killed process 4242 (stress) total-vm:1048576kB, anon-rss:1000000kB';
  for (let s = 0; s < 60; s++) {
    await clock.runUntil(t2 + s * sec);
    const lines = Math.floor((options.stormLines * (s + 1)) / 60) - Math.floor((options.stormLines * s) / 60);
    for (const n of nodes) {
      for (let l = 0; l < lines; l++) report(n, 'kernel-monitor', [], [event('warn', 'OOMKilling', oom)]);
      if (s === 30) {
        report(n, 'kernel-monitor', [], [event('warn', 'TaskHung', 'task stress:4242 blocked for more than 120 seconds.')]);
        taskHungAt.set(n.name, clock.now());
      }
    }
    await settle();
  }
  await clock.runUntil(t2 + 5 * min);
  say(`storm done: ${seen.length} requests`);

  // Outage: the apiserver is away 5 min for the whole fleet, problems change meanwhile.
  const t3 = t2 + 10 * min;
  await clock.runUntil(t3);
  api.down();
  everyNode(t3 + 30 * sec, sec, (n) => report(n, 'kernel-monitor', [cond('KernelDeadlock', 'True', 'DockerHung', 'task docker:1234 blocked for more than 120 seconds')], [event('warn', 'DockerHung', 'task docker:1234 blocked')]));
  everyNode(t3 + 150 * sec, sec, (n) => report(n, 'ntp-custom-plugin-monitor', [cond('NTPProblem', 'True', 'NTPIsDown', 'ntp service is not running')], [event('warn', 'NTPIsDown', 'ntp service is not running')]));
  everyNode(t3 + 270 * sec, sec, (n) => report(n, 'kernel-monitor', [cond('KernelDeadlock', 'False', 'KernelHasNoDeadlock', 'kernel has no deadlock')], [event('info', 'KernelHasNoDeadlock', 'kernel has no deadlock')]));
  await clock.runUntil(t3 + 5 * min);
  api.up();
  for (const n of nodes) n.pending = { since: clock.now(), scenario: 'recovery' };
  await clock.runUntil(t3 + 15 * min);
  say(`outage done: ${seen.length} requests`);

  let exact = 0;
  for (const n of nodes) if (equal(n, (api.state.nodes.get(n.name)?.['status']?.conditions ?? []) as WireNodeCondition[])) exact++;
  stop.abort();
  // Stopping sends the last PATCH (the record retired): it needs the clock to move.
  const stopped = Promise.all(nodes.map((n) => n.exporter.stop()));
  await clock.runUntil(clock.now() + min);
  await stopped;

  const N = options.nodes;
  const startup = converged.get('startup') ?? [];
  const incident = converged.get('incident') ?? [];
  const recovery = converged.get('recovery') ?? [];
  return {
    nodes: N,
    steadyRequestsPerNodeHour: round(window(t0, t0 + 60 * min).length / N),
    listWatchRequests: api.counts.listWatch,
    startupPeakRps: peakRps(t0, t0 + 2 * min),
    // A node that never converged counts as infinitely late.
    startupConvergeP99S: round(p99([...startup, ...Array<number>(N - startup.length).fill(Infinity)]) / sec),
    incidentRequestsPerNodePerChange: round((window(t1, t1 + min).length + window(t1 + 5 * min, t1 + 6 * min).length) / (2 * N)),
    incident429PerNode: round(window(t1, t1 + 10 * min).filter((r) => r.status === 429).length / N),
    incidentConvergeP99S: round(p99([...incident, ...Array<number>(2 * N - incident.length).fill(Infinity)]) / sec),
    stormEventRequestsPerNode: round(window(t2, t2 + 5 * min, (r) => r === 'events').length / N),
    stormOtherEventDelayS: taskHungDelays.length < N ? Infinity : round(Math.max(...taskHungDelays) / sec),
    outageRequestsPerNode: round(window(t3, t3 + 5 * min).length / N),
    recoveryPeakRps: peakRps(t3 + 5 * min, t3 + 6 * min),
    recoveryConvergeP99S: round(p99([...recovery, ...Array<number>(N - recovery.length).fill(Infinity)]) / sec),
    nodesConvergedExactly: exact,
    bytesPerNode,
  };
}
