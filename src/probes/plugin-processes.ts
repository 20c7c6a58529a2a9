/**
 * Finding every process a plugin left behind, so a timeout or the sweep after a run can kill them
 * all. The group kill (`kill(-pid)`) misses a descendant that called `setsid` or `setpgid`: it has
 * its own group, and once its parent exits its parent pid is 1. So a plugin run is marked in the
 * environment ({@link pluginRunVariable}), which every descendant inherits across `setsid`,
 * `fork` and `exec`, and the processes are found in `<proc>/*` by, in order of cost: parent chain
 * from the plugin, the plugin's session, orphans of the agent's own init, then the marker in
 * `environ`. Only processes started since the run began are considered, so the scan reads few
 * `environ` files (reading one can wait on a process's memory lock).
 *
 * A descendant that clears its environment, calls `setsid` and outlives its parent carries none of
 * those marks but one: it is re-parented to PID 1. When PID 1 is the agent's own init (the image:
 * tini, PID 1 of the container's PID namespace, started the agent and has no older child), every
 * other child of PID 1 started since the run began is an orphan from inside the container, a
 * plugin's (or a `kubectl exec` session's), and is killed with the run. Outside such a namespace
 * (the agent as a systemd service: PID 1 has many children) that mark is not used and such a
 * descendant escapes (README, custom plugin monitor).
 *
 * `proc` is the agent's own procfs (`/proc`): plugins are the agent's children, in its PID namespace,
 * never the host's `/host/proc` that the probes read.
 */
import { readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The environment variable that marks one plugin run; its value is unique per run. */
export const pluginRunVariable = 'NPD_PLUGIN_RUN';

/** Clock ticks per second of `/proc/PID/stat` times (USER_HZ: 100 on every Linux architecture). */
const ticksPerSecond = 100;

/** The fields of `/proc/PID/stat` the scan uses. */
export interface ProcStat {
  readonly pid: number;
  readonly state: string;
  readonly ppid: number;
  readonly session: number;
  /** Start time in clock ticks since boot. */
  readonly startTicks: number;
}

/** Parses one `/proc/PID/stat` line (the command name may hold spaces and parentheses). */
export function parseProcStat(text: string): ProcStat | undefined {
  const close = text.lastIndexOf(')');
  if (close < 0) return undefined;
  const pid = Number.parseInt(text, 10);
  const f = text.slice(close + 2).split(' ');
  // After the name: state (field 3), ppid (4), pgrp (5), session (6), … starttime (22).
  const stat = { pid, state: f[0] ?? '', ppid: Number(f[1]), session: Number(f[3]), startTicks: Number(f[19]) };
  return Number.isInteger(stat.pid) && Number.isInteger(stat.ppid) && Number.isInteger(stat.startTicks) ? stat : undefined;
}

/** Clock ticks since boot now, from `<proc>/uptime`, to pass as `sinceTicks`. 0 when unreadable. */
export function readUptimeTicks(proc: string): number {
  try {
    return Math.floor(Number.parseFloat(readFileSync(join(proc, 'uptime'), 'utf8')) * ticksPerSecond);
  } catch {
    return 0;
  }
}

/**
 * Whether PID 1 is the agent's own init, so that its other children are orphans from inside the
 * container: it is the agent's parent and has no child older than the agent but the agent.
 */
export function initIsOwn(self: ProcStat, all: readonly ProcStat[]): boolean {
  return self.ppid === 1 && !all.some((s) => s.ppid === 1 && s.pid !== self.pid && s.startTicks < self.startTicks);
}

/** What identifies one plugin run. */
export interface PluginRun {
  /** The plugin's pid, which is also its session and group (it is spawned detached). */
  readonly pid: number;
  /** The value of {@link pluginRunVariable} in its environment. */
  readonly marker: string;
  /** Ticks since boot read just before the spawn ({@link readUptimeTicks}). */
  readonly sinceTicks: number;
}

/**
 * The live processes of a plugin run (the plugin itself included while it lives), excluding the
 * calling process `self` (the agent).
 * @example await findPluginProcesses('/proc', { pid: 4242, marker: '17.3', sinceTicks: 123456 })
 */
export async function findPluginProcesses(proc: string, run: PluginRun, self = process.pid): Promise<number[]> {
  let entries: string[];
  try {
    entries = await readdir(proc);
  } catch {
    return [];
  }
  const all: ProcStat[] = [];
  let own: ProcStat | undefined;
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = parseProcStat(readFileSync(join(proc, e, 'stat'), 'utf8'));
      if (stat?.pid === self) own = stat;
      else if (stat) all.push(stat);
    } catch {
      // exited meanwhile
    }
  }
  // The start tick is rounded: allow one tick of slack.
  const stats = all.filter((s) => s.state !== 'Z' && s.state !== 'X' && s.startTicks >= run.sinceTicks - 1);
  const orphansOfInit = own !== undefined && initIsOwn(own, all);
  const found = new Set<number>();
  // Parent chain: repeat until no new child of a found process appears.
  for (let grew = true; grew; ) {
    grew = false;
    for (const s of stats) {
      if (found.has(s.pid)) continue;
      if (s.pid === run.pid || s.session === run.pid || found.has(s.ppid) || (orphansOfInit && s.ppid === 1)) {
        found.add(s.pid);
        grew = true;
      }
    }
  }
  const needle = `\0${pluginRunVariable}=${run.marker}\0`;
  await Promise.all(
    stats
      .filter((s) => !found.has(s.pid))
      .map(async (s) => {
        try {
          if (`\0${(await readFile(join(proc, String(s.pid), 'environ'))).toString('latin1')}`.includes(needle)) found.add(s.pid);
        } catch {
          // exited, or not ours to read
        }
      }),
  );
  return [...found];
}
