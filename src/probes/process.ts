/**
 * A named process running (ACK's irqbalanceStatus, and the scan under the ntp probe): one of
 * `names` appears in `<proc>/<pid>/comm`. ACK asked `systemctl status`, which needs dbus and the
 * host's systemd inside the pod; procfs of the host (hostPID, or /proc mounted at /host/proc) is
 * enough, and reading it spawns nothing.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProbeDefinition, ProbeResult, ProcTableSource } from './probe.js';
import { listPids } from './proc-table.js';
import { readOptions, type OptionReader } from './option-reader.js';

/** The kernel truncates `comm` to 15 bytes (TASK_COMM_LEN − 1); longer names never match. */
export const commMaxLength = 15;

/** A process found by {@link findProcess}. */
export interface FoundProcess {
  readonly pid: string;
  /** Its `comm`, trimmed. */
  readonly comm: string;
}

/** The outcome of a scan: the first match (or none), or the `unknown` result explaining why there was no scan. */
export type ProcessScan = { readonly ok: true; readonly found: FoundProcess | undefined } | { readonly ok: false; readonly result: ProbeResult };

/**
 * Finds the first process under `proc` whose trimmed `comm` is one of `names`.
 * @example await findProcess('/proc', ['irqbalance'])
 */
export async function findProcess(proc: string, names: readonly string[], tables?: ProcTableSource): Promise<ProcessScan> {
  if (tables !== undefined) {
    // The /proc pass shared with the other process probes of this round (proc-table.ts).
    const table = await tables.table();
    if (!table.ok) return table;
    const p = table.processes.find((e) => names.includes(e.comm));
    return { ok: true, found: p === undefined ? undefined : { pid: String(p.pid), comm: p.comm } };
  }
  const listed = listPids(proc);
  if (!listed.ok) return listed;
  const { pids } = listed;
  // `comm` reads never block (unlike `cmdline`, which waits on a hung process's mm lock), and a
  // synchronous read costs ~6 µs against ~250 µs through the thread pool: read in chunks of 64,
  // yielding to the event loop between chunks.
  for (let i = 0; i < pids.length; i++) {
    if (i > 0 && i % 64 === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    const pid = pids[i] as string;
    let comm: string;
    try {
      comm = readFileSync(join(proc, pid, 'comm'), 'utf8').trim();
    } catch {
      continue; // the process exited between readdir and read
    }
    if (names.includes(comm)) return { ok: true, found: { pid, comm } };
  }
  return { ok: true, found: undefined };
}

/**
 * Checks that one of `names` runs: `irqbalance is running (pid 612)` or a problem
 * `none of irqbalance is running`.
 * @example await probeProcess('/proc', ['irqbalance'])
 */
export async function probeProcess(proc: string, names: readonly string[], tables?: ProcTableSource): Promise<ProbeResult> {
  const scan = await findProcess(proc, names, tables);
  if (!scan.ok) return scan.result;
  if (scan.found) return { status: 'ok', message: `${scan.found.comm} is running (pid ${scan.found.pid})` };
  return { status: 'problem', message: `none of ${names.join(', ')} is running` };
}

/** Process names as `comm` shows them: longer names could never match, so they are refused. */
export function readCommNames(opts: OptionReader, name: string, fallback?: readonly string[]): readonly string[] {
  const names = opts.strings(name, fallback);
  const long = names.find((n) => n.length > commMaxLength);
  if (long !== undefined) {
    opts.fail(name, `entries must be at most ${commMaxLength} characters, as the kernel cuts comm (use ${JSON.stringify(long.slice(0, commMaxLength))}), got ${JSON.stringify(long)}`);
  }
  return names;
}

/** The `process` probe: one of `names` (required) runs. */
export const processProbe: ProbeDefinition<'process'> = {
  name: 'process',
  create(options, ctx, where) {
    const names = readCommNames(readOptions('process', options, ['names'], where), 'names');
    return () => probeProcess(ctx.procRoot, names, ctx.procTable);
  },
};
