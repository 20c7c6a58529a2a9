/**
 * `npd check`: the node doctor, run by hand over SSH. Runs every probe and plugin rule of the given
 * probe-monitor files once (log monitors are skipped: they watch streams) and prints a table or
 * JSON. Exit code 1 when any rule found a problem, else 3 when a rule could not run (unknown: an input
 * missing, a probe that failed), else 0: Nagios' OK/problem/unknown, with 2 left to usage errors.
 */
import type { ProbeMonitorConfig } from '../config/monitor-config.js';
import { readMonitorFile } from '../config/load-monitor.js';
import { createSemaphore } from '../monitors/probe-semaphore.js';
import { createRuleCheck } from '../monitors/rule-check.js';
import type { ProbeContext, ProbeStatus } from '../probes/probe.js';
import { probeRegistry } from '../probes/registry.js';
import { plural } from './plural.js';

/** Options of {@link runCheck}. */
export interface CheckOptions {
  /** Monitor files; log monitors among them are skipped. */
  readonly monitorFiles: readonly string[];
  readonly ctx: ProbeContext;
  /** Print JSON instead of a table. */
  readonly json: boolean;
  /** Rules run at once. @default 4 */
  readonly concurrency?: number;
}

/** One rule's outcome. */
export interface CheckRow {
  readonly source: string;
  readonly file: string;
  readonly kind: 'condition' | 'event';
  /** The condition type, or the event reason. */
  readonly name: string;
  readonly status: ProbeStatus;
  /** The problem reason, or the condition's default reason when not a problem. */
  readonly reason: string;
  readonly message: string;
  readonly cause?: string;
}

/** Runs every rule of `configs` once. Bad probe options throw ConfigError, as at agent start. */
export async function checkConfigs(configs: readonly ProbeMonitorConfig[], ctx: ProbeContext, concurrency = 4): Promise<CheckRow[]> {
  const semaphore = createSemaphore(concurrency);
  const signal = new AbortController().signal;
  const jobs = configs.flatMap((config) =>
    config.rules.map((rule, i) => ({ config, rule, check: createRuleCheck(config, i, ctx) })),
  );
  return Promise.all(
    jobs.map(async ({ config, rule, check }): Promise<CheckRow> => {
      await semaphore.acquire();
      let result;
      try {
        result = await check(signal);
      } finally {
        semaphore.release();
      }
      const def = config.conditions.find((c) => c.type === rule.condition);
      const permanent = rule.type === 'permanent';
      return {
        source: config.source,
        file: config.file,
        kind: permanent ? 'condition' : 'event',
        name: permanent ? (rule.condition ?? '') : rule.reason,
        status: result.status,
        reason: result.status === 'problem' || !def ? rule.reason : def.reason,
        message: result.message,
        ...(result.cause !== undefined ? { cause: result.cause } : {}),
      };
    }),
  );
}

/** The rows as an aligned text table. */
export function formatCheckTable(rows: readonly CheckRow[]): string {
  const head = ['CHECK', 'STATUS', 'REASON', 'MESSAGE'];
  const cells = rows.map((r) => [`${r.kind === 'event' ? 'event ' : ''}${r.name}`, r.status.toUpperCase(), r.reason, r.message.replace(/\s*\n\s*/g, ' ')]);
  const widths = [0, 1, 2].map((c) => Math.max(head[c]?.length ?? 0, ...cells.map((row) => row[c]?.length ?? 0)));
  const line = (row: readonly string[]): string => row.map((cell, c) => (c < 3 ? cell.padEnd(widths[c] ?? 0) : cell)).join('  ').trimEnd();
  const problems = rows.filter((r) => r.status === 'problem').length;
  const unknown = rows.filter((r) => r.status === 'unknown').length;
  const summary = `${plural(rows.length, 'check')}: ${plural(problems, 'problem')}, ${unknown} unknown`;
  return [line(head), ...cells.map(line), '', summary].join('\n');
}

/**
 * Reads the monitor files, runs their probe rules once and formats the outcome.
 * @example const { exitCode, output } = await runCheck({ monitorFiles, ctx, json: false });
 */
export async function runCheck(options: CheckOptions): Promise<{ exitCode: number; output: string }> {
  const configs: ProbeMonitorConfig[] = [];
  for (const file of new Set(options.monitorFiles)) {
    const config = await readMonitorFile(file, { probeNames: Object.keys(probeRegistry) });
    if (config.kind === 'probe') configs.push(config);
  }
  const rows = await checkConfigs(configs, options.ctx, options.concurrency);
  const exitCode = rows.some((r) => r.status === 'problem') ? 1 : rows.some((r) => r.status === 'unknown') ? 3 : 0;
  const output = options.json
    ? JSON.stringify({ problems: rows.filter((r) => r.status === 'problem').length, results: rows }, null, 2)
    : formatCheckTable(rows);
  return { exitCode, output };
}
