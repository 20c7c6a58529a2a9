/**
 * Processes stuck in uninterruptible sleep (ACK's PSProcessIsHung and CSIProcessIsHung, which ran
 * `/proc/<pid>/task/<tid>/status` scans from a shell script). A thread in state `D` in `rounds` consecutive
 * rounds spanning at least `minDurationMs` is hung: one round in D is normal I/O, minutes are not.
 * The problem names the process, its pid and its wait channel (`<proc>/<pid>/task/<tid>/wchan`),
 * and the pod and container it belongs to (`<proc>/<pid>/cgroup` through the kubelet's log
 * directories), so the monitor can send the event to the Pod too. `names` (globs on `comm`) narrows
 * the check to some processes, e.g. CSI drivers. The /proc pass is the shared {@link ProcTableSource}.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../core/clock.js';
import { formatDuration } from '../core/clock.js';
import { parsePodCgroup } from '../pods/cgroup-path.js';
import { cgroupOfProcess } from '../pods/container-processes.js';
import type { PodDirectory } from '../pods/pod-directory.js';
import type { PodSubject } from '../core/problem.js';
import type { Check, ProbeDefinition, ProbeFactory, ProbeResult, ProcTableSource } from './probe.js';
import { readOptions } from './option-reader.js';
import { createProcTableSource } from './proc-table.js';

/** The common names of CSI node plugins' processes (`comm`, cut at 15 characters). */
export const csiProcessNames: readonly string[] = ['*csi*', '*diskplugin*', '*nasplugin*', '*ossplugin*'];

/** Options of {@link createHungProcessCheck}. */
export interface HungProcessOptions {
  /** A thread must be in D at least this long. @default 120000 */
  readonly minDurationMs: number;
  /** …and in this many consecutive rounds. @default 3 */
  readonly rounds: number;
  /** Only processes whose `comm` matches one of these globs (`*` only, case-insensitive); all if undefined. */
  readonly names: readonly string[] | undefined;
}

/** What the check reads. */
export interface HungProcessDeps {
  readonly procRoot: string;
  readonly clock: Clock;
  readonly tables: ProcTableSource;
  /** Names pods; undefined when the kubelet's log directories are absent. */
  readonly pods: PodDirectory | undefined;
}

/** Matches `comm` against `*`-globs, case-insensitively. */
export function globMatcher(globs: readonly string[]): (comm: string) => boolean {
  const res = globs.map((g) => new RegExp(`^${g.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i'));
  return (comm) => res.some((re) => re.test(comm));
}

const readTrim = (file: string): string | undefined => {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return undefined;
  }
};

interface Watched {
  readonly pid: number;
  readonly comm: string;
  readonly since: number;
  rounds: number;
}

/** Where a hung process runs: its pod and container, when it is in one. */
function podOf(deps: HungProcessDeps, pid: number): { pod: PodSubject; container: string } | undefined {
  const text = readTrim(join(deps.procRoot, String(pid), 'cgroup'));
  const cg = text === undefined ? undefined : parsePodCgroup(cgroupOfProcess(text) ?? '');
  if (cg === undefined || deps.pods === undefined) return undefined;
  const pod = deps.pods.pod(cg.podUid);
  if (pod === undefined) return undefined;
  const container = cg.containerId === undefined ? '' : (deps.pods.container(cg.containerId) ?? cg.containerId.slice(0, 12));
  return { pod, container };
}

/** Creates the check; its memory of D-state threads lives in the closure (one per rule). */
export function createHungProcessCheck(deps: HungProcessDeps, options: HungProcessOptions): Check {
  const watched = new Map<number, Watched>();
  const wanted = options.names === undefined ? () => true : globMatcher(options.names);
  const atLeast = formatDuration(options.minDurationMs);
  const what = options.names === undefined ? 'process' : `process matching ${options.names.join(', ')}`;

  return async (): Promise<ProbeResult> => {
    const table = await deps.tables.table();
    if (!table.ok) return table.result;
    const now = deps.clock.now();
    const seen = new Set<number>();
    for (const p of table.processes) {
      if (!wanted(p.comm)) continue;
      for (const t of p.tasks) {
        if (t.state !== 'D') continue;
        seen.add(t.tid);
        const w = watched.get(t.tid);
        if (w && w.pid === p.pid) w.rounds++;
        else watched.set(t.tid, { pid: p.pid, comm: p.comm, since: now, rounds: 1 });
      }
    }
    for (const tid of watched.keys()) if (!seen.has(tid)) watched.delete(tid);
    const hung = [...watched].filter(([, w]) => w.rounds >= options.rounds && now - w.since >= options.minDurationMs);
    if (hung.length === 0) return { status: 'ok', message: `no ${what} in uninterruptible sleep (D) for ${atLeast}` };

    // One line per process (its first hung thread), most stable first so repeated rounds repeat the message.
    const byPid = new Map<number, { comm: string; tid: number }>();
    for (const [tid, w] of hung.sort((a, b) => a[1].pid - b[1].pid || a[0] - b[0])) if (!byPid.has(w.pid)) byPid.set(w.pid, { comm: w.comm, tid });
    const lines: string[] = [];
    const podEvents: { pod: PodSubject; message: string }[] = [];
    for (const [pid, { comm, tid }] of byPid) {
      const wchan = readTrim(join(deps.procRoot, String(pid), 'task', String(tid), 'wchan')) ?? readTrim(join(deps.procRoot, String(pid), 'wchan'));
      const waiting = wchan === undefined || wchan === '' || wchan === '0' ? 'wait channel unknown' : `waiting in ${wchan}`;
      const thread = tid === pid ? '' : `, thread ${tid}`;
      const where = podOf(deps, pid);
      const base = `process ${comm} (pid ${pid}${thread}) in uninterruptible sleep (D) for at least ${atLeast}, ${waiting}`;
      lines.push(where ? `${base}; namespace: ${where.pod.namespace}, pod: ${where.pod.name}, container: ${where.container}` : base);
      if (where) {
        const container = where.container === '' ? 'the pod' : `container "${where.container}"`;
        podEvents.push({
          pod: where.pod,
          message: `${base.replace(/^process/, `process in ${container}:`)}. It cannot be killed until the kernel call returns (often storage: a disk, NFS or CSI volume).`,
        });
      }
    }
    const shown = lines.slice(0, 5);
    const more = lines.length > shown.length ? `; and ${lines.length - shown.length} more` : '';
    return { status: 'problem', message: `${shown.join('; ')}${more}`, podEvents };
  };
}

/** The options of both probes: `minDuration` 2m, `rounds` 3 (2–100), and `names` for the CSI one. */
function hungFactory(probe: string, defaultNames: readonly string[] | undefined): ProbeFactory {
  return (options, ctx, where) => {
    const opts = readOptions(probe, options, defaultNames === undefined ? ['minDuration', 'rounds'] : ['minDuration', 'rounds', 'names'], where);
    const minDurationMs = opts.duration('minDuration', 120_000);
    const rounds = opts.integer('rounds', 3, 2, 100);
    const names = defaultNames === undefined ? undefined : opts.strings('names', defaultNames);
    const tables = ctx.procTable ?? createProcTableSource(ctx.procRoot, ctx.clock);
    return createHungProcessCheck({ procRoot: ctx.procRoot, clock: ctx.clock, tables, pods: ctx.pods }, { minDurationMs, rounds, names });
  };
}

/** PSProcessIsHung: any process. */
export const hungProcessProbe: ProbeDefinition<'hung-process'> = { name: 'hung-process', create: hungFactory('hung-process', undefined) };

/** CSIProcessIsHung: the CSI drivers' processes (`names`, default {@link csiProcessNames}). */
export const csiHungProcessProbe: ProbeDefinition<'csi-hung-process'> = { name: 'csi-hung-process', create: hungFactory('csi-hung-process', csiProcessNames) };
