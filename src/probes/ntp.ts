/**
 * NTP daemon running (ACK's NTPProblem): one of ntpd, chronyd or systemd-timesyncd appears in
 * `<proc>/<pid>/comm`. ACK asked systemctl, which needs dbus and the host's systemd inside the pod;
 * procfs of the host (hostPID, or /proc mounted at /host/proc) is enough. The scan is the process
 * probe's ({@link findProcess}).
 */
import type { ProbeDefinition, ProbeResult, ProcTableSource } from './probe.js';
import { findProcess, readCommNames } from './process.js';
import { readOptions } from './option-reader.js';

/** Process names of time daemons as `comm` shows them (truncated to 15 bytes by the kernel). */
export const timeDaemonNames: readonly string[] = ['ntpd', 'chronyd', 'systemd-timesyn', 'openntpd', 'ntpsec'];

/**
 * Looks for a running time daemon under `proc`: one of `daemons`, as `comm` shows them.
 * @example await probeNtp('/proc')
 */
export async function probeNtp(proc: string, daemons: readonly string[] = timeDaemonNames, tables?: ProcTableSource): Promise<ProbeResult> {
  const scan = await findProcess(proc, daemons, tables);
  if (!scan.ok) return scan.result;
  if (scan.found) return { status: 'ok', message: `NTP service is running (${scan.found.comm}, pid ${scan.found.pid})` };
  return { status: 'problem', message: 'NTP service is not running' };
}

/** The `ntp` probe: one of `daemons` (default {@link timeDaemonNames}) runs. */
export const ntpProbe: ProbeDefinition<'ntp'> = {
  name: 'ntp',
  create(options, ctx, where) {
    const daemons = readCommNames(readOptions('ntp', options, ['daemons'], where), 'daemons', timeDaemonNames);
    return () => probeNtp(ctx.procRoot, daemons, ctx.procTable);
  },
};
