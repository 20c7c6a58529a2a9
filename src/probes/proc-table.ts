/**
 * One pass over `<proc>` shared by the probes that look at processes (process, ntp, hung-process,
 * csi-hung-process): each process's `comm` and the state of each of its threads, from
 * `<pid>/stat` and `<pid>/task/<tid>/stat`. A table younger than `reuseMs` is handed out again, so
 * probes of one round (and monitors whose rounds coincide) share a single pass. Reads are
 * synchronous (~6 µs each, against ~250 µs through the thread pool), 64 at a time between
 * event-loop turns; `stat` never blocks on a hung process (unlike `cmdline`, which waits on its mm
 * lock). Nothing is spawned.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../core/clock.js';
import type { ProbeResult, ProcEntry, ProcTable, ProcTableSource, ProcTask } from './probe.js';
import { readErrorCause, unknownResult } from './read-probe-file.js';

export type { ProcEntry, ProcTable, ProcTableSource, ProcTask } from './probe.js';

/** `comm` and state from a `stat` line: `pid (comm) S …` (comm may hold spaces and parentheses). */
export function parseStat(text: string): { readonly comm: string; readonly state: string } | undefined {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open || text[close + 1] !== ' ') return undefined;
  const state = text[close + 2];
  return state === undefined ? undefined : { comm: text.slice(open + 1, close), state };
}

const read = (file: string): string | undefined => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined; // the process or thread exited meanwhile
  }
};

/** The process directories of `proc`, or the `unknown` result of a procfs that cannot be listed or holds none. */
export function listPids(proc: string): { readonly ok: true; readonly pids: string[] } | { readonly ok: false; readonly result: ProbeResult } {
  let entries: string[];
  try {
    entries = readdirSync(proc);
  } catch (err) {
    return { ok: false, result: unknownResult(proc, readErrorCause(err), (err as NodeJS.ErrnoException).code ?? String(err)) };
  }
  const pids = entries.filter((e) => /^\d+$/.test(e));
  if (pids.length === 0) return { ok: false, result: { status: 'unknown', cause: 'NoData', message: `no processes found in ${proc}` } };
  return { ok: true, pids };
}

/** One pass over `proc`. */
export async function readProcTable(proc: string): Promise<ProcTable> {
  const listed = listPids(proc);
  if (!listed.ok) return listed;
  const { pids } = listed;
  const processes: ProcEntry[] = [];
  let reads = 0;
  for (const pid of pids) {
    if (++reads % 64 === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    const text = read(join(proc, pid, 'stat'));
    const main = text === undefined ? undefined : parseStat(text);
    if (main === undefined) continue;
    let tids: string[];
    try {
      tids = readdirSync(join(proc, pid, 'task')).filter((t) => /^\d+$/.test(t));
    } catch {
      tids = [];
    }
    const tasks: ProcTask[] = [{ tid: Number(pid), state: main.state }];
    for (const tid of tids) {
      if (tid === pid) continue;
      reads++;
      const t = read(join(proc, pid, 'task', tid, 'stat'));
      const parsed = t === undefined ? undefined : parseStat(t);
      if (parsed) tasks.push({ tid: Number(tid), state: parsed.state });
    }
    processes.push({ pid: Number(pid), comm: main.comm.trim(), tasks });
  }
  return { ok: true, processes };
}

/** A source that reuses a table for `reuseMs` (default 5 s). */
export function createProcTableSource(proc: string, clock: Clock, reuseMs = 5000): ProcTableSource {
  let last: { at: number; table: Promise<ProcTable> } | undefined;
  return {
    table() {
      const now = clock.now();
      if (last === undefined || now - last.at >= reuseMs) last = { at: now, table: readProcTable(proc) };
      return last.table;
    },
  };
}
