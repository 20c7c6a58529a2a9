/**
 * Which processes run in each pod container now, from `<proc>/<pid>/cgroup` (host pids, whatever
 * pid namespace the agent runs in). Used after an OOM kill to tell whether the container kept
 * running. Not `cgroup.procs` under sysfs: it lists pids as the *reader's* pid namespace sees them,
 * and the DaemonSet has no hostPID, so on cgroup v1 it would list nothing. One synchronous pass
 * (~8 µs a process), reused for {@link scanReuseMs} so a burst of kills costs one pass.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../core/clock.js';
import { parsePodCgroup } from './cgroup-path.js';

/** A scan younger than this is reused. */
export const scanReuseMs = 1000;

/** Counts processes by container. */
export interface ContainerProcesses {
  /**
   * Processes other than `exceptPid` in the container (or, without a container ID, in the pod);
   * undefined when `<proc>` cannot be read.
   */
  others(podUid: string, containerId: string | undefined, exceptPid: number): number | undefined;
}

/** The pod cgroup of one `/proc/<pid>/cgroup` text: the v2 line, else the v1 memory line. */
export function cgroupOfProcess(text: string): string | undefined {
  let v1: string | undefined;
  for (const line of text.split('\n')) {
    const first = line.indexOf(':');
    const second = line.indexOf(':', first + 1);
    if (first < 0 || second < 0) continue;
    const controllers = line.slice(first + 1, second);
    const path = line.slice(second + 1);
    if (line.startsWith('0::') && path !== '/') return path;
    if (controllers.split(',').includes('memory')) v1 = path;
  }
  return v1;
}

/** Creates the counter over `procRoot`. */
export function createContainerProcesses(procRoot: string, clock: Clock): ContainerProcesses {
  let scan: { at: number; byKey: Map<string, number[]> } | undefined;
  const key = (podUid: string, containerId: string | undefined): string => `${podUid}/${containerId ?? ''}`;

  const rescan = (): Map<string, number[]> | undefined => {
    let entries: string[];
    try {
      entries = readdirSync(procRoot);
    } catch {
      return undefined;
    }
    const byKey = new Map<string, number[]>();
    for (const e of entries) {
      if (!/^\d+$/.test(e)) continue;
      let text: string;
      try {
        text = readFileSync(join(procRoot, e, 'cgroup'), 'utf8');
      } catch {
        continue; // exited meanwhile
      }
      const path = cgroupOfProcess(text);
      const pod = path === undefined ? undefined : parsePodCgroup(path);
      if (!pod) continue;
      // Counted in its container and in its pod (once: a process of the pod's own cgroup has no container).
      const keys = pod.containerId === undefined ? [key(pod.podUid, undefined)] : [key(pod.podUid, pod.containerId), key(pod.podUid, undefined)];
      for (const k of keys) {
        const list = byKey.get(k);
        if (list) list.push(Number(e));
        else byKey.set(k, [Number(e)]);
      }
    }
    return byKey;
  };

  return {
    others(podUid, containerId, exceptPid) {
      const now = clock.now();
      if (scan === undefined || now - scan.at >= scanReuseMs) {
        const byKey = rescan();
        if (byKey === undefined) return undefined;
        scan = { at: now, byKey };
      }
      return (scan.byKey.get(key(podUid, containerId)) ?? []).filter((p) => p !== exceptPid).length;
    },
  };
}
