/**
 * NTP daemon running (ACK's NTPProblem): one of ntpd, chronyd or systemd-timesyncd appears in
 * `<proc>/<pid>/comm`. ACK asked systemctl, which needs dbus and the host's systemd inside the pod;
 * procfs of the host (hostPID, or /proc mounted at /host/proc) is enough.
 */
import { readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ProbeResult } from './probe.js';
import { readErrorCause, unknownResult } from './read-input.js';

/** Process names of time daemons as `comm` shows them (truncated to 15 bytes by the kernel). */
export const timeDaemonNames: readonly string[] = ['ntpd', 'chronyd', 'systemd-timesyn', 'openntpd', 'ntpsec'];

/** Whether a `comm` line names a time daemon. */
export function isTimeDaemon(comm: string): boolean {
  return timeDaemonNames.includes(comm.trim());
}

/**
 * Looks for a running time daemon under `proc`.
 * @example await probeNtp('/proc')
 */
export async function probeNtp(proc: string): Promise<ProbeResult> {
  let entries: string[];
  try {
    entries = await readdir(proc);
  } catch (err) {
    return unknownResult(proc, readErrorCause(err), (err as NodeJS.ErrnoException).code ?? String(err));
  }
  const pids = entries.filter((e) => /^\d+$/.test(e));
  if (pids.length === 0) return { status: 'unknown', cause: 'NoData', message: `no processes found in ${proc}` };
  // `comm` reads never block (unlike `cmdline`, which waits on a hung process's mm lock), and a
  // synchronous read costs ~6 µs against ~250 µs through the thread pool: read in chunks of 64,
  // yielding to the event loop between chunks.
  for (let i = 0; i < pids.length; i++) {
    if (i > 0 && i % 64 === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    const pid = pids[i] as string;
    let comm: string;
    try {
      comm = readFileSync(join(proc, pid, 'comm'), 'utf8');
    } catch {
      continue; // the process exited between readdir and read
    }
    if (isTimeDaemon(comm)) return { status: 'ok', message: `NTP service is running (${comm.trim()}, pid ${pid})` };
  }
  return { status: 'problem', message: 'NTP service is not running' };
}
