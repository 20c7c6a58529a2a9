/**
 * The journald source on a manual clock (its backoffs, STABLE_MS, cursor saves and SIGKILL timer
 * move only with `clock.advance`), with fake journalctl scripts that record how they were run.
 */
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createManualClock } from '../../src/core/clock.js';
import { createMemoryLogger } from '../../src/core/logger.js';
import { createJournaldSource } from '../../src/sources/journald.js';
import type { LogLine } from '../../src/sources/log-source.js';
import { createRecordingTelemetry } from './recording-telemetry.js';

/** Options of {@link journaldRig}. */
export interface JournaldRigOptions {
  readonly logPath: string;
  readonly journalctl?: string;
  readonly stateDir?: string;
  /** @default 0 (a save after every entry) */
  readonly cursorPersistMs?: number;
  /** @default 5 min */
  readonly lookbackMs?: number;
}

/** A journald source reading from now on (manual clock at `Date.now()`), its iterator started. */
export function journaldRig(opts: JournaldRigOptions) {
  const clock = createManualClock(Date.now());
  const telemetry = createRecordingTelemetry();
  const logger = createMemoryLogger();
  const source = createJournaldSource(
    { plugin: 'journald', file: 'm.json', source: 'kernel-monitor', logPath: opts.logPath, lookbackMs: opts.lookbackMs ?? 5 * 60_000, delayMs: 0, pluginConfig: { source: 'kernel' } },
    { clock, logger, telemetry, bootTimeMs: clock.now() - 3_600_000, random: () => 0.5, ...(opts.stateDir === undefined ? {} : { stateDir: opts.stateDir }) },
    { cursorPersistMs: opts.cursorPersistMs ?? 0, ...(opts.journalctl === undefined ? {} : { journalctl: opts.journalctl }) },
  );
  const ac = new AbortController();
  const it = source.lines(ac.signal)[Symbol.asyncIterator]();
  const warnings = () => logger.records.filter((r) => r.level === 'warn');
  return { source, clock, telemetry, logger, ac, it, warnings };
}

/** Drains `it` in the background: `lines` fills up, `done` resolves when the iteration ends. */
export function drain(it: AsyncIterator<LogLine>): { lines: LogLine[]; done: Promise<void>; ended: () => boolean } {
  const lines: LogLine[] = [];
  let ended = false;
  const done = (async () => {
    for (let r = await it.next(); !r.done; r = await it.next()) lines.push(r.value);
    ended = true;
  })();
  return { lines, done, ended: () => ended };
}

/** Writes `<dir>/<name>`: a journalctl that appends its arguments to `<dir>/runs`, then runs the sh `body`. */
export async function scriptedJournalctl(dir: string, body: string, name = 'fake-journalctl'): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, `#!/bin/sh\necho "$*" >> '${dir}/runs'\n${body}\n`);
  await chmod(path, 0o755);
  return path;
}

/** The argument lists the scripted journalctl in `dir` was run with, one string each. */
export async function journalctlRuns(dir: string): Promise<string[]> {
  return (await readFile(join(dir, 'runs'), 'utf8').catch(() => '')).split('\n').filter(Boolean);
}

/** One `journalctl -o json` line. */
export function jsonEntry(cursor: string, timeMs: number, message: string): string {
  return JSON.stringify({ __CURSOR: cursor, __REALTIME_TIMESTAMP: String(timeMs * 1000), MESSAGE: message, SYSLOG_IDENTIFIER: 'kernel' });
}
