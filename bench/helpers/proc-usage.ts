/**
 * CPU time and memory of one process from procfs: utime + stime from /proc/<pid>/stat, VmRSS and
 * VmHWM from /proc/<pid>/status. Reading and parsing are separate; the parsers take text.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

/** One reading of a process. */
export interface ProcUsage {
  /** utime + stime, in clock ticks. */
  readonly cpuTicks: number;
  /** Resident set size now, in KiB. */
  readonly rssKib: number;
  /** Peak resident set size (since start or the last {@link resetPeakRss}), in KiB. */
  readonly hwmKib: number;
}

/** utime + stime (fields 14 and 15) of a /proc/<pid>/stat line; the comm field may hold spaces and ')'. */
export function parseStatTicks(text: string): number {
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state), so field n is fields[n - 3].
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) throw new Error(`unexpected /proc/<pid>/stat: ${text.slice(0, 120)}`);
  return utime + stime;
}

/** A `Name:   1234 kB` field of /proc/<pid>/status, in KiB. */
export function parseStatusKib(text: string, name: string): number {
  const m = new RegExp(`^${name}:\\s+(\\d+) kB$`, 'm').exec(text);
  if (!m) throw new Error(`no ${name} in /proc/<pid>/status`);
  return Number(m[1]);
}

/** Reads the CPU time and memory of `pid`. */
export function readProcUsage(pid: number, proc = '/proc'): ProcUsage {
  const status = readFileSync(`${proc}/${pid}/status`, 'utf8');
  return {
    cpuTicks: parseStatTicks(readFileSync(`${proc}/${pid}/stat`, 'utf8')),
    rssKib: parseStatusKib(status, 'VmRSS'),
    hwmKib: parseStatusKib(status, 'VmHWM'),
  };
}

/** Resets VmHWM to the current RSS (`echo 5 > clear_refs`, Linux ≥ 4.0); false when not allowed. */
export function resetPeakRss(pid: number, proc = '/proc'): boolean {
  try {
    writeFileSync(`${proc}/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** Clock ticks per second (`getconf CLK_TCK`), 100 when getconf is unavailable. */
export function readClockTicks(): number {
  const r = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  const hz = Number(r.stdout?.trim());
  return r.status === 0 && hz > 0 ? hz : 100;
}
