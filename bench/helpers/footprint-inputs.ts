/**
 * Inputs of the footprint bench (bench/agent-footprint.ts): the 3-rule NPD filelog monitor and its
 * grep -E equivalent, a kern.log with 1 % problem lines, kmsg records, and monitor files pointed at
 * temp paths. Lives in a folder of its own so bench/run-all.ts does not run it as a benchmark.
 */
import { closeSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { benignMessages, problemMessages, syslogStamp } from './kern-log-lines.js';

/** The three rules, written so that JS and `grep -E` read them alike (a rule matches up to the end of the message, as NPD's). */
export const backlogPatterns: readonly string[] = [
  'Killed process [0-9]+ \\(.+\\) total-vm:[0-9]+kB.*',
  'task [^ ]+ blocked for more than [0-9]+ seconds\\.',
  'BUG: kernel NULL pointer dereference.*',
];

/** Problem lines of the backlog: one for each of {@link backlogPatterns}. */
const backlogProblems = [problemMessages[0], problemMessages[1], problemMessages[5]] as string[];

/** Whether line `i` of the backlog is a problem line (1 in 100). */
const isBacklogProblem = (i: number): boolean => i % 100 === 50;

/** A kern.log of `count` lines stamped `nowMs`, 1 % of them problems; returns the text and the number of problems. */
export function backlogText(count: number, nowMs: number): { text: string; problems: number } {
  return { text: kernLines(0, count, nowMs), problems: backlogProblemCount(count) };
}

/** How many of the first `count` backlog lines are problems (see {@link backlogText}). */
export function backlogProblemCount(count: number): number {
  let problems = 0;
  for (let i = 0; i < count; i++) if (isBacklogProblem(i)) problems++;
  return problems;
}

/**
 * Writes a backlog kern.log of at least `bytes` at `path` (see {@link backlogText}), 100,000 lines at
 * a time so the writer never holds it; returns how many lines and problems it holds.
 */
export function writeBacklogFile(path: string, bytes: number, nowMs: number): { lines: number; problems: number; bytes: number } {
  const fd = openSync(path, 'w');
  let [lines, written] = [0, 0];
  try {
    while (written < bytes) {
      const chunk = kernLines(lines, 100_000, nowMs);
      written += writeSync(fd, chunk);
      lines += 100_000;
    }
  } finally {
    closeSync(fd);
  }
  return { lines, problems: backlogProblemCount(lines), bytes: written };
}

/** The 3-rule filelog monitor over `logPath` (temporary rules, so each match counts in `problem_counter`). */
export function writeBacklogMonitor(dir: string, logPath: string, source = 'backlog-monitor'): string {
  const path = join(dir, `${source}.json`);
  writeFileSync(
    path,
    JSON.stringify({
      plugin: 'filelog',
      pluginConfig: { timestamp: '^.{15}', message: 'kernel: \\[\\s*\\d+\\.\\d+\\] (.*)', timestampFormat: 'Jan _2 15:04:05' },
      logPath,
      lookback: '10m',
      source,
      metricsReporting: true,
      conditions: [],
      rules: backlogPatterns.map((pattern, i) => ({ type: 'temporary', reason: `Backlog${i}`, pattern })),
    }),
  );
  return path;
}

/** The same monitor reading kmsg records from `logPath` (a FIFO in the bench). */
export function writeKmsgMonitor(dir: string, logPath: string, source = 'kmsg-flood-monitor'): string {
  const path = join(dir, `${source}.json`);
  writeFileSync(
    path,
    JSON.stringify({
      plugin: 'kmsg',
      logPath,
      lookback: '5m',
      source,
      metricsReporting: true,
      conditions: [],
      rules: backlogPatterns.map((pattern, i) => ({ type: 'temporary', reason: `Flood${i}`, pattern })),
    }),
  );
  return path;
}

/** A copy of `monitorFile` with `logPath` replaced, written into `dir`. */
export function retarget(monitorFile: string, dir: string, logPath: string): string {
  const monitor = JSON.parse(readFileSync(monitorFile, 'utf8')) as { logPath?: string; source: string };
  monitor.logPath = logPath;
  const path = join(dir, `${monitor.source}.json`);
  writeFileSync(path, JSON.stringify(monitor));
  return path;
}

/** Seconds since boot (/proc/uptime), for kmsg records' timestamps. */
export const uptimeSeconds = (): number => Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);

/** The message of flood record `i`: 1 % problems. */
export const floodMessage = (i: number): string =>
  (isBacklogProblem(i) ? backlogProblems[i % backlogProblems.length] : benignMessages[i % benignMessages.length]) as string;

/** kmsg records `from` … `from + count − 1` (`6,seq,usec,-;message\n`), 1 % problems. */
export function kmsgRecords(from: number, count: number, usec: number): string {
  let out = '';
  for (let i = from; i < from + count; i++) out += `6,${i},${usec},-;${floodMessage(i)}\n`;
  return out;
}

/** kern.log lines `from` … `from + count − 1` stamped `now`, 1 % problems. */
export function kernLines(from: number, count: number, nowMs: number): string {
  const stamp = syslogStamp(nowMs);
  let out = '';
  for (let i = from; i < from + count; i++) {
    const message = isBacklogProblem(i) ? backlogProblems[i % backlogProblems.length] : benignMessages[i % benignMessages.length];
    out += `${stamp} node-1 kernel: [${(i * 0.05).toFixed(6).padStart(12)}] ${message}\n`;
  }
  return out;
}
