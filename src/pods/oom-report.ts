/**
 * Joins the records of one kernel OOM report (pure: lines in, kills out). The kernel prints a report
 * as separate records: `<comm> invoked oom-killer: …`, the cgroup it is about, a task table, then
 * `Killed process <pid> (<comm>) …`. Which cgroup:
 * - kernels ≥ 4.19: `oom-kill:constraint=<C>,…,[oom_memcg=<limit memcg>,|global_oom,]task_memcg=<memcg>,
 *   task=<comm>,pid=<pid>,uid=<uid>`: it carries the victim's pid, so it is joined to the `Killed
 *   process` line with the same pid whatever came between (reports of a burst never cross);
 * - older kernels: `Task in <memcg> killed as a result of limit of <limit memcg>` has no pid: it is
 *   joined to the next `Killed process` line, and forgotten when another report begins
 *   (`invoked oom-killer`) so a later global OOM is never given an earlier report's cgroup.
 * Memory is bounded: at most {@link maxPending} reports wait for their kill line.
 */

/** Why the OOM killer ran: the container's limit, the pod's limit, the node, or another constraint. */
export type OomConstraint = 'memcg' | 'none' | 'cpuset' | 'memory-policy' | 'unknown';

/** One OOM kill, as far as the report told. */
export interface OomKill {
  readonly pid: number;
  /** The victim's `comm`. */
  readonly comm: string;
  /** The victim's memory cgroup; undefined when the report did not name it (old kernels, global OOM). */
  readonly taskMemcg: string | undefined;
  /** The cgroup whose limit was hit (memcg OOM); undefined for a global OOM. */
  readonly oomMemcg: string | undefined;
  readonly constraint: OomConstraint;
}

/** Reports waiting for their `Killed process` line, at most. */
export const maxPending = 64;

interface Pending {
  readonly taskMemcg: string;
  readonly oomMemcg: string | undefined;
  readonly constraint: OomConstraint;
}

const constraints: Readonly<Record<string, OomConstraint>> = {
  CONSTRAINT_NONE: 'none',
  CONSTRAINT_MEMCG: 'memcg',
  CONSTRAINT_CPUSET: 'cpuset',
  CONSTRAINT_MEMORY_POLICY: 'memory-policy',
};

const OOM_KILL = /oom-kill:constraint=(\w+),/;
const TASK_MEMCG = /[,:]task_memcg=([^,]*),task=.*,pid=(\d+)(?:,|$)/;
const OOM_MEMCG = /[,:]oom_memcg=([^,]*),/;
const TASK_IN = /Task in (\S+) killed as a result of limit of (\S+)/;
const KILLED = /Killed process (\d+) \((.+?)\)(?=[ ,]|$)|Killed process (\d+), UID \d+, \((.+?)\)/;

/** The verdict line's scope: `Memory cgroup out of memory: Kill…` or the node's `Out of memory: Kill…`. */
function verdictOf(message: string): OomConstraint | undefined {
  if (message.includes('Memory cgroup out of memory: Kill')) return 'memcg';
  if (message.includes('Out of memory') && /Out of memory(?: \(oom_kill_allocating_task\))?: Kill/.test(message)) return 'none';
  return undefined;
}

/**
 * Substrings one of which every message the tracker reads contains: it ignores a message without
 * any (so a source may leave such lines out, see `LogMonitorDeps.annotate`).
 */
export const oomReportLiterals: readonly string[] = ['oom', 'Task in ', 'ut of memory', 'Killed process'];

/** Joins OOM report records; feed every message of the log, in order. */
export interface OomReportTracker {
  /** Reads one message; returns the kill it completes, if it is a `Killed process` line. */
  push(message: string): OomKill | undefined;
}

/** Creates a tracker with an empty memory. */
export function createOomReportTracker(): OomReportTracker {
  const byPid = new Map<number, Pending>();
  let unnamed: Pending | undefined;
  /** The last verdict line's scope (old kernels print it on its own line before `Killed process`). */
  let verdict: OomConstraint | undefined;

  return {
    push(message) {
      if (message.includes('oom-kill:')) {
        const c = OOM_KILL.exec(message);
        const t = TASK_MEMCG.exec(message);
        if (c && t) {
          const pid = Number(t[2]);
          byPid.delete(pid);
          byPid.set(pid, { taskMemcg: t[1] as string, oomMemcg: OOM_MEMCG.exec(message)?.[1], constraint: constraints[c[1] as string] ?? 'unknown' });
          if (byPid.size > maxPending) byPid.delete(byPid.keys().next().value as number);
        }
        return undefined;
      }
      // Most lines are not about OOM: plain substring tests first (this runs on every kernel line).
      if (!oomReportLiterals.some((l) => message.includes(l))) return undefined;
      if (message.includes('invoked oom-killer:')) {
        unnamed = undefined;
        verdict = undefined;
        return undefined;
      }
      const task = message.includes('Task in ') ? TASK_IN.exec(message) : null;
      if (task) {
        unnamed = { taskMemcg: task[1] as string, oomMemcg: task[2] as string, constraint: 'memcg' };
        return undefined;
      }
      const k = message.includes('Killed process') ? KILLED.exec(message) : null;
      if (!k) {
        verdict = verdictOf(message) ?? verdict;
        return undefined;
      }
      const pid = Number(k[1] ?? k[3]);
      const comm = (k[2] ?? k[4]) as string;
      const joined = byPid.get(pid) ?? unnamed;
      const scope = verdictOf(message) ?? verdict;
      byPid.delete(pid);
      unnamed = undefined;
      verdict = undefined;
      if (joined) return { pid, comm, ...joined };
      // No cgroup in the report (old kernels print none for a global OOM): the verdict says which.
      return { pid, comm, taskMemcg: undefined, oomMemcg: undefined, constraint: scope ?? 'unknown' };
    },
  };
}
