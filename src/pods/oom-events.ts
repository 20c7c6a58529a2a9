/**
 * The built-in OOM attribution step of log monitors: NPD's `OOMKilling` event (from any monitor
 * that reports it, NPD's kernel-monitor.json unchanged) is joined to its OOM report, the victim's
 * cgroup is mapped to its pod and container, and the monitor then reports
 * - the Node's `OOMKilling` event as NPD sends it, with namespace, pod and container appended;
 * - a `PodOOMKilling` Warning on the Pod saying which process in which container was killed, why
 *   (the container's limit, the pod's limit, the node out of memory), and whether the container
 *   kept running (the kubelet reports only a container whose main process died).
 * Unknowns stay explicit: a pod UID without a log directory, or a cgroup outside `kubepods`, is
 * named in the Node event only.
 */
import type { Event, OomScope } from '../core/problem.js';
import { displayCgroup, parsePodCgroup } from './cgroup-path.js';
import type { ContainerProcesses } from './container-processes.js';
import { createOomReportTracker, oomReportLiterals, type OomKill } from './oom-report.js';
import type { PodDirectory } from './pod-directory.js';

/** The reason NPD's kernel monitor gives an OOM kill. */
export const oomKillingReason = 'OOMKilling';
/** The reason of the Pod's event (ACK's name, which its users alert on). */
export const podOomKillingReason = 'PodOOMKilling';

/** What the step reads. */
export interface OomAttributionDeps {
  readonly directory: PodDirectory;
  /** Counts the processes left in the container; undefined skips the "kept running" sentence. */
  readonly processes: ContainerProcesses | undefined;
}

/**
 * Rewrites a line's events: call it with every message of the monitor's log, in order (or every
 * message that contains one of its `literals`: it leaves the others alone).
 */
export type EventAnnotator = ((message: string, events: readonly Event[]) => readonly Event[]) & { readonly literals?: readonly string[] };

const shortId = (id: string): string => id.slice(0, 12);

/** The limit an OOM kill hit, from the report's constraint and the limit cgroup. */
export function oomScope(kill: OomKill): OomScope {
  if (kill.constraint !== 'memcg' || kill.oomMemcg === undefined) return 'node';
  const limit = parsePodCgroup(kill.oomMemcg);
  if (limit === undefined) return 'node'; // /kubepods itself: the pods' allocatable memory
  return limit.containerId !== undefined ? 'container' : 'pod';
}

const why: Readonly<Record<OomScope, string>> = {
  container: 'the container reached its memory limit',
  pod: "the pod reached its memory limit (the sum of its containers' limits)",
  node: 'the node ran out of memory (no pod or container limit was reached)',
};

/** Explains a kill whose limit cgroup is `/kubepods` (the node's allocatable) rather than the node. */
function reasonText(kill: OomKill, scope: OomScope): string {
  if (scope === 'node' && kill.constraint === 'memcg' && kill.oomMemcg !== undefined) {
    return `the pods on the node reached their allocatable memory (${displayCgroup(kill.oomMemcg)} limit)`;
  }
  return why[scope];
}

/**
 * The events of one attributed kill: the Node's (NPD's message, with the pod appended) and, when
 * the pod is known, the Pod's.
 */
export function oomEvents(node: Event, kill: OomKill, deps: OomAttributionDeps): Event[] {
  if (kill.taskMemcg === undefined) return [node];
  const cg = parsePodCgroup(kill.taskMemcg);
  if (cg === undefined) return [{ ...node, message: `${node.message}; cgroup: ${displayCgroup(kill.taskMemcg)} (not a pod)` }];
  const pod = deps.directory.pod(cg.podUid);
  const idText = cg.containerId !== undefined ? `, container ID: ${cg.containerId}` : '';
  if (pod === undefined) {
    return [{ ...node, message: `${node.message}; pod UID: ${cg.podUid}${idText} (no log directory: the pod is gone or has no logs)` }];
  }
  const containerName = cg.containerId !== undefined ? deps.directory.container(cg.containerId) : undefined;
  const container = containerName ?? (cg.containerId !== undefined ? shortId(cg.containerId) : '');
  const scope = oomScope(kill);
  const where = cg.containerId === undefined ? 'the pod cgroup' : containerName !== undefined ? `container "${containerName}"` : `container ${shortId(cg.containerId)}`;
  const left = deps.processes?.others(cg.podUid, cg.containerId, kill.pid);
  const after = left === undefined || cg.containerId === undefined ? ''
    : left > 0 ? ` The container kept running (${left} other process${left === 1 ? '' : 'es'}): the kubelet will not report this kill.`
    : ' No process is left in the container: the kubelet reports it as OOMKilled when it restarts the container.';
  const podEvent: Event = {
    severity: 'warn',
    time: node.time,
    reason: podOomKillingReason,
    message: `OOM killer killed process ${kill.comm} (pid ${kill.pid}) in ${where}: ${reasonText(kill, scope)}.${after}`,
    pod: { namespace: pod.namespace, name: pod.name, uid: pod.uid },
    oomKill: { container, scope },
  };
  const nodeEvent: Event = { ...node, message: `${node.message}; namespace: ${pod.namespace}, pod: ${pod.name}, container: ${container}` };
  return [nodeEvent, podEvent];
}

/** A fresh annotator (one per monitor: each has its own report tracker). */
export function createOomAnnotator(deps: OomAttributionDeps): EventAnnotator {
  const tracker = createOomReportTracker();
  const annotate = (message: string, events: readonly Event[]): readonly Event[] => {
    const kill = tracker.push(message);
    if (kill === undefined || !events.some((e) => e.reason === oomKillingReason)) return events;
    return events.flatMap((e) => (e.reason === oomKillingReason ? oomEvents(e, kill, deps) : [e]));
  };
  return Object.assign(annotate, { literals: oomReportLiterals });
}
