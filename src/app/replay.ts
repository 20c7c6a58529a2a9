/**
 * `npd replay`: runs log files through monitor definitions offline and reports every problem the
 * rules find: the reason, the condition change, the matched lines and the rule. The file format is
 * detected per file (kmsg records, `journalctl -o json`, `journalctl -o export`, else syslog / dmesg
 * / bare text, read with a filelog monitor's own pluginConfig). Every line counts: there is no
 * start-point filter. Each monitor sees every line of a file, in a fresh window per file.
 */
import { systemClock } from '../core/clock.js';
import { ConfigError, errorMessage } from '../core/errors.js';
import { plural } from './plural.js';
import { readFile } from 'node:fs/promises';
import { readMonitorFile } from '../config/load-monitor.js';
import type { LogMonitorConfig, MonitorConfig } from '../config/monitor-config.js';
import { createRuleEngine } from '../monitors/rule-engine.js';
import type { RuleEngineResult } from '../monitors/rule-engine.js';
import type { ConditionStatus } from '../core/problem.js';
import { parseJournalEntry } from '../sources/journal-entry.js';
import { parseKmsgRecord } from '../sources/kmsg-parser.js';
import { createLineParser } from '../sources/line-parser.js';
import type { LogLine } from '../sources/log-source.js';

/** Options of {@link runReplay}. */
export interface ReplayOptions {
  readonly monitorFiles: string[];
  readonly logFiles: string[];
  /** Boot time for kmsg records' microsecond stamps (ms since the epoch). @default 0 */
  readonly bootTimeMs?: number;
  /** "Now" for text lines without a time or a year. @default the system clock's now */
  readonly nowMs?: number;
}

/** How a log file was read. */
export type ReplayFormat = 'kmsg' | 'journal-json' | 'journal-export' | 'text';

/** One problem found: a rule match (or an expiry) and what it did. */
export interface ReplayProblem {
  /** The monitor's `source`. */
  readonly monitor: string;
  /** The rule that matched; undefined when a condition expired (`expireAfter`, or a count fell below its threshold). */
  readonly rule: { readonly index: number; readonly type: string; readonly pattern: string } | undefined;
  /** The problem reason (a recovery or expiry gives the condition's default reason). */
  readonly reason: string;
  /** A condition change it caused, if any. */
  readonly change: { readonly type: string; readonly from: ConditionStatus; readonly to: ConditionStatus } | undefined;
  readonly time: Date;
  /** The matched lines' messages, and their 1-based line numbers in the file. */
  readonly lines: readonly string[];
  readonly lineNumbers: readonly number[];
}

/** What one log file produced. */
export interface ReplayFileResult {
  readonly file: string;
  readonly format: ReplayFormat;
  /** Log lines read (kmsg records and journal entries count once). */
  readonly lines: number;
  /** Lines a monitor's parser could not read, by monitor source. */
  readonly unparsable: Readonly<Record<string, number>>;
  readonly problems: readonly ReplayProblem[];
}

/** The result of {@link runReplay}. */
export interface ReplayResult {
  /** Monitor files that are not log monitors (probe monitors are not replayed). */
  readonly skippedMonitors: readonly string[];
  readonly files: readonly ReplayFileResult[];
}

const KMSG_RECORD = /^\d+,\d+,\d+(?:,[^;]*)?;/;

/** Detects the format of a log file's text. */
export function detectFormat(text: string): ReplayFormat {
  const first = text.split('\n').find((l) => l.trim() !== '') ?? '';
  if (KMSG_RECORD.test(first)) return 'kmsg';
  if (first.trimStart().startsWith('{')) return 'journal-json';
  if (/^__CURSOR=/.test(first)) return 'journal-export';
  return 'text';
}

interface NumberedLine {
  readonly line: LogLine;
  readonly number: number;
}

function kmsgLines(text: string, bootTimeMs: number): NumberedLine[] {
  const out: NumberedLine[] = [];
  const rows = text.split('\n');
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as string;
    if (!KMSG_RECORD.test(row)) continue;
    const number = i + 1;
    let record = row;
    while (i + 1 < rows.length && (rows[i + 1] as string).startsWith(' ')) record += `\n${rows[++i] as string}`;
    const parsed = parseKmsgRecord(record, bootTimeMs);
    if (parsed) out.push({ line: parsed.line, number });
  }
  return out;
}

function journalJsonLines(text: string, nowMs: number): NumberedLine[] {
  const out: NumberedLine[] = [];
  text.split('\n').forEach((row, i) => {
    if (row.trim() === '') return;
    const entry = parseJournalEntry(row);
    if (entry) return void out.push({ line: entry.line, number: i + 1 });
    // Entries without a cursor (hand-written fixtures) still have a MESSAGE worth matching.
    try {
      const obj = JSON.parse(row) as Record<string, unknown>;
      if (typeof obj.MESSAGE === 'string') out.push({ line: { time: new Date(nowMs), message: obj.MESSAGE.trim() }, number: i + 1 });
    } catch {
      // not JSON: skipped
    }
  });
  return out;
}

function journalExportLines(text: string, nowMs: number): NumberedLine[] {
  const out: NumberedLine[] = [];
  let fields: Record<string, string> = {};
  let start = 1;
  const flush = (): void => {
    if (fields.MESSAGE !== undefined) {
      const usec = fields.__REALTIME_TIMESTAMP;
      const time = usec && /^\d+$/.test(usec) ? new Date(Number(usec) / 1000) : new Date(nowMs);
      out.push({ line: { time, message: fields.MESSAGE.trim() }, number: start });
    }
    fields = {};
  };
  text.split('\n').forEach((row, i) => {
    if (row === '') return flush();
    if (Object.keys(fields).length === 0) start = i + 1;
    const eq = row.indexOf('=');
    if (eq > 0) fields[row.slice(0, eq)] = row.slice(eq + 1);
  });
  flush();
  return out;
}

function textLines(text: string, monitor: LogMonitorConfig, nowMs: number): { lines: NumberedLine[]; unparsable: number } {
  const pluginConfig = monitor.plugin === 'filelog' ? monitor.pluginConfig : {};
  const parse = createLineParser(pluginConfig, { file: monitor.file, nowMs });
  const lines: NumberedLine[] = [];
  let unparsable = 0;
  const rows = text.split('\n');
  if (rows[rows.length - 1] === '') rows.pop();
  rows.forEach((row, i) => {
    const line = parse(row);
    if (line) lines.push({ line, number: i + 1 });
    else unparsable++;
  });
  return { lines, unparsable };
}

/** A problem and where it falls among the file's lines, to merge several monitors' problems in order. */
interface PlacedProblem {
  readonly at: number;
  readonly problem: ReplayProblem;
}

function replayMonitor(monitor: LogMonitorConfig, lines: readonly NumberedLine[]): PlacedProblem[] {
  const numbers = new Map<LogLine, number>(lines.map((l) => [l.line, l.number]));
  let now = lines[0]?.line.time.getTime() ?? 0;
  const engine = createRuleEngine(monitor, { now: () => now });
  const problems: PlacedProblem[] = [];
  let before = engine.conditions();
  const changesOf = (r: RuleEngineResult): Map<string, { from: ConditionStatus; to: ConditionStatus }> => {
    const out = new Map<string, { from: ConditionStatus; to: ConditionStatus }>();
    r.conditions.forEach((c, i) => {
      const prev = before[i];
      if (prev && prev !== c) out.set(c.type, { from: prev.status, to: c.status });
    });
    before = r.conditions;
    return out;
  };
  for (const { line, number } of lines) {
    now = Math.max(now, line.time.getTime());
    const expired = engine.expire();
    for (const [type, change] of changesOf(expired)) {
      const def = monitor.conditions.find((c) => c.type === type);
      const problem: ReplayProblem = { monitor: monitor.source, rule: undefined, reason: def?.reason ?? '', change: { type, ...change }, time: new Date(now), lines: [], lineNumbers: [] };
      problems.push({ at: number - 0.5, problem }); // seen when this line's time arrived, before the line itself
    }
    const r = engine.push(line);
    if (r.matches.length === 0) continue;
    const changes = changesOf(r);
    for (const m of r.matches) {
      const { rule } = m;
      const change = rule.condition !== undefined ? changes.get(rule.condition) : undefined;
      if (change && rule.condition !== undefined) changes.delete(rule.condition);
      const def = monitor.conditions.find((c) => c.type === rule.condition);
      const lineNumbers = m.lines.map((l) => numbers.get(l) ?? 0);
      const problem: ReplayProblem = {
        monitor: monitor.source,
        rule: { index: m.ruleIndex, type: rule.type, pattern: rule.pattern },
        reason: rule.type === 'recovery' ? (def?.reason ?? rule.reason) : rule.reason,
        change: change && rule.condition !== undefined ? { type: rule.condition, ...change } : undefined,
        time: (m.lines[0] as LogLine).time,
        lines: m.lines.map((l) => l.message),
        lineNumbers,
      };
      problems.push({ at: lineNumbers.at(-1) ?? number, problem });
    }
  }
  return problems;
}

/** The text of a log file; a missing or unreadable path is a ConfigError naming it (exit 2). */
async function readLogFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, not a log file' : code === 'EACCES' ? 'permission denied' : errorMessage(err);
    throw new ConfigError(file, '', `cannot read log file: ${why}`, { cause: err });
  }
}

/** Replays log files through monitor files. Throws ConfigError for a bad monitor file or log file. */
export async function runReplay(options: ReplayOptions): Promise<ReplayResult> {
  const nowMs = options.nowMs ?? systemClock.now();
  const monitors: MonitorConfig[] = [];
  for (const f of options.monitorFiles) monitors.push(await readMonitorFile(f));
  const logMonitors = monitors.filter((m): m is LogMonitorConfig => m.kind === 'log');
  const files: ReplayFileResult[] = [];
  for (const file of options.logFiles) {
    const text = await readLogFile(file);
    const format = detectFormat(text);
    const shared =
      format === 'kmsg' ? kmsgLines(text, options.bootTimeMs ?? 0)
      : format === 'journal-json' ? journalJsonLines(text, nowMs)
      : format === 'journal-export' ? journalExportLines(text, nowMs)
      : undefined;
    const unparsable: Record<string, number> = {};
    const placed: PlacedProblem[] = [];
    let count = shared?.length ?? 0;
    for (const m of logMonitors) {
      let lines = shared;
      if (!lines) {
        const parsed = textLines(text, m, nowMs);
        lines = parsed.lines;
        count = Math.max(count, parsed.lines.length + parsed.unparsable);
        if (parsed.unparsable > 0) unparsable[m.source] = (unparsable[m.source] ?? 0) + parsed.unparsable;
      }
      placed.push(...replayMonitor(m, lines));
    }
    const problems = placed.sort((a, b) => a.at - b.at).map((p) => p.problem);
    files.push({ file, format, lines: count, unparsable, problems });
  }
  return { skippedMonitors: monitors.filter((m) => m.kind !== 'log').map((m) => m.file), files };
}

/** Formats a replay result for the terminal. */
export function formatReplay(result: ReplayResult): string {
  const out: string[] = [];
  let total = 0;
  for (const f of result.files) {
    const bad = Object.entries(f.unparsable).map(([m, n]) => `, ${n} unparsable for ${m}`).join('');
    out.push(`${f.file} (${f.format}, ${plural(f.lines, 'line')}${bad}): ${f.problems.length === 0 ? 'no problems' : plural(f.problems.length, 'problem')}`);
    for (const p of f.problems) {
      total++;
      const change = p.change ? ` — ${p.change.type} ${p.change.from} → ${p.change.to}` : '';
      const rule = p.rule ? `rules[${p.rule.index}] ${p.rule.type} ${JSON.stringify(p.rule.pattern)}` : 'none: expired (expireAfter, or a count fell below its threshold)';
      out.push(`  ${p.time.toISOString()} ${p.monitor}: ${p.reason}${change}`);
      out.push(`    rule: ${rule}`);
      p.lines.forEach((l, i) => out.push(`    line ${p.lineNumbers[i] ?? '?'}: ${l.length > 300 ? `${l.slice(0, 300)}…` : l}`));
    }
  }
  if (result.skippedMonitors.length > 0) out.push(`not replayed (probe monitors): ${result.skippedMonitors.join(', ')}`);
  out.push(`${plural(total, 'problem')} in ${plural(result.files.length, 'file')}`);
  return `${out.join('\n')}\n`;
}
