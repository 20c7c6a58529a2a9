/**
 * `npd replay`: runs log files through monitor definitions offline and reports every problem the
 * rules find: the reason, the condition change, the matched lines and the rule. The file format is
 * detected per file (kmsg records, `journalctl -o json`, `journalctl -o export`, else syslog / dmesg
 * / bare text, read with a filelog monitor's own pluginConfig). Every line counts: there is no
 * start-point filter. Each monitor sees every line of a file, in a fresh window per file.
 * The pipeline is the agent's: rows are read and split as the filelog source does, kmsg records
 * go through the kmsg source's framer and parser, journal entries through the journald source's
 * parser, and lines through the rule engine the log monitor runs, in one streaming pass per file.
 */
import { systemClock } from '../core/clock.js';
import { plural } from './plural.js';
import { readMonitorFile } from '../config/load-monitor.js';
import type { LogMonitorConfig, MonitorConfig } from '../config/monitor-config.js';
import { createRuleEngine, type RuleEngine, type RuleEngineResult } from '../monitors/rule-engine.js';
import type { Condition, ConditionStatus } from '../core/problem.js';
import type { LogLine } from '../sources/log-source.js';
import { createOomAnnotator, oomKillingReason, type EventAnnotator } from '../pods/oom-events.js';
import { createPodDirectory, type PodDirectory } from '../pods/pod-directory.js';
import { fileLines, journalExportReader, journalJsonLine, kmsgReader, type LineSink, type RowReader } from './replay-input.js';
import { textReader } from './replay-text.js';
import type { LineRanges } from '../sources/line-splitter.js';

/** A copy of `s` that shares no memory with the text it was cut from. */
const detached = (s: string): string => Buffer.from(s, 'utf8').toString('utf8');

/** The first `max` rows of a piece of text, as strings. */
function rowsOf({ text, count, bounds }: LineRanges, max = count): string[] {
  return Array.from({ length: Math.min(count, max) }, (_, i) => text.slice(bounds[2 * i] as number, bounds[2 * i + 1] as number));
}

/** Options of {@link runReplay}. */
export interface ReplayOptions {
  readonly monitorFiles: string[];
  readonly logFiles: string[];
  /** Boot time for kmsg records' microsecond stamps (ms since the epoch). @default 0 */
  readonly bootTimeMs?: number;
  /** "Now" for text lines without a time or a year. @default the system clock's now */
  readonly nowMs?: number;
  /** The kubelet's log directories, to show which pod each OOM kill hit. @default no attribution */
  readonly pods?: { readonly podsLogDir: string; readonly containersLogDir: string };
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
  /** The events of an attributed OOM kill (`PodOOMKilling` on the pod, the Node's with the pod added). */
  readonly attribution?: readonly string[];
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
  const first = text.split('\n', 64).find((l) => l.trim() !== '') ?? '';
  if (KMSG_RECORD.test(first)) return 'kmsg';
  if (first.trimStart().startsWith('{')) return 'journal-json';
  if (/^__CURSOR=/.test(first)) return 'journal-export';
  return 'text';
}

/** A problem and where it falls among the file's lines, to merge several monitors' problems in order. */
interface PlacedProblem {
  readonly at: number;
  readonly problem: ReplayProblem;
}

/**
 * One monitor over one file's lines: the rule engine the log monitor runs, with expiries checked
 * when they fall due on the lines' clock (as the log monitor's timer does on the wall clock).
 */
function monitorReplay(monitor: LogMonitorConfig, placed: PlacedProblem[], annotate: EventAnnotator | undefined): LineSink {
  let now = 0;
  let engine: RuleEngine | undefined;
  let before: readonly Condition[] = [];
  // The numbers of the last lines, to number a match's lines (a match spans at most bufferSize lines).
  const ringSize = Math.max(16, monitor.bufferSize * 2);
  const ringLines: (LogLine | undefined)[] = new Array<LogLine | undefined>(ringSize);
  const ringNumbers = new Array<number>(ringSize).fill(0);
  let pushed = 0;
  // One object per rule, shared by its problems (the report formats each rule once).
  const rules = new Map<number, ReplayProblem['rule']>();
  const ruleOf = (index: number, rule: { readonly type: string; readonly pattern: string }): ReplayProblem['rule'] => {
    let r = rules.get(index);
    if (!r) rules.set(index, (r = { index, type: rule.type, pattern: rule.pattern }));
    return r;
  };
  const numberOf = (line: LogLine): number => {
    for (let k = 1; k <= Math.min(pushed, ringSize); k++) {
      const i = (pushed - k) % ringSize;
      if (ringLines[i] === line) return ringNumbers[i] as number;
    }
    return 0;
  };
  const changesOf = (r: RuleEngineResult): Map<string, { from: ConditionStatus; to: ConditionStatus }> => {
    const out = new Map<string, { from: ConditionStatus; to: ConditionStatus }>();
    r.conditions.forEach((c, i) => {
      const prev = before[i];
      if (prev && prev !== c) out.set(c.type, { from: prev.status, to: c.status });
    });
    before = r.conditions;
    return out;
  };
  return (line, number) => {
    if (!engine) {
      now = line.time.getTime();
      engine = createRuleEngine(monitor, { now: () => now });
      before = engine.conditions();
    }
    now = Math.max(now, line.time.getTime());
    const due = engine.nextExpiryMs();
    if (due !== undefined && due <= now) {
      for (const [type, change] of changesOf(engine.expire())) {
        const def = monitor.conditions.find((c) => c.type === type);
        const problem: ReplayProblem = { monitor: monitor.source, rule: undefined, reason: def?.reason ?? '', change: { type, ...change }, time: new Date(now), lines: [], lineNumbers: [] };
        placed.push({ at: number - 0.5, problem }); // seen when this line's time arrived, before the line itself
      }
    }
    const r = engine.push(line);
    ringLines[pushed % ringSize] = line;
    ringNumbers[pushed % ringSize] = number;
    pushed++;
    // The attribution step sees every line, as in the agent.
    const attributed = annotate?.(line.message, r.events.filter((e) => e.reason === oomKillingReason));
    if (r.matches.length === 0) return;
    const changes = changesOf(r);
    for (const m of r.matches) {
      const { rule } = m;
      const change = rule.condition !== undefined ? changes.get(rule.condition) : undefined;
      if (change && rule.condition !== undefined) changes.delete(rule.condition);
      const def = monitor.conditions.find((c) => c.type === rule.condition);
      const lineNumbers = m.lines.map(numberOf);
      const problem: ReplayProblem = {
        monitor: monitor.source,
        rule: ruleOf(m.ruleIndex, rule),
        reason: rule.type === 'recovery' ? (def?.reason ?? rule.reason) : rule.reason,
        change: change && rule.condition !== undefined ? { type: rule.condition, ...change } : undefined,
        time: (m.lines[0] as LogLine).time,
        // Copies: a message cut from a 64 KiB piece of the file would keep all of it alive until the report.
        lines: m.lines.map((l) => detached(l.message)),
        lineNumbers,
        ...(rule.reason === oomKillingReason && attributed && attributed.length > 0
          ? { attribution: attributed.map((e) => `${e.reason} on ${e.pod ? `pod ${e.pod.namespace}/${e.pod.name}` : 'the node'}: ${e.message}`) }
          : {}),
      };
      placed.push({ at: lineNumbers.at(-1) ?? number, problem });
    }
  };
}

/** Replays one file through every log monitor, in one pass. */
async function replayFile(file: string, monitors: readonly LogMonitorConfig[], options: { bootTimeMs: number; nowMs: number; pods: PodDirectory | undefined }): Promise<ReplayFileResult> {
  const placed: PlacedProblem[] = [];
  const { pods } = options;
  // Offline: the processes on this machine say nothing about the log's node, so no "kept running".
  const annotator = (m: LogMonitorConfig): EventAnnotator | undefined =>
    pods?.enabled === true && m.rules.some((r) => r.reason === oomKillingReason) ? createOomAnnotator({ directory: pods, processes: undefined }) : undefined;
  const annotators = monitors.map(annotator);
  const sinks = monitors.map((m, k) => monitorReplay(m, placed, annotators[k]));
  const shared: LineSink = (line, number) => {
    count++;
    for (const sink of sinks) sink(line, number);
  };
  let count = 0;
  let format: ReplayFormat | undefined;
  let reader: RowReader | undefined;
  const unparsable: Record<string, number> = {};
  let rowCount = 0;
  const texts = monitors.map((m, k) => textReader(m, sinks[k] as LineSink, { nowMs: options.nowMs, attributes: annotators[k] !== undefined, unparsable }));
  for await (const lines of fileLines(file)) {
    if (format === undefined) {
      const rows = rowsOf(lines, 64);
      if (rows.every((r) => r.trim() === '') && lines.count < 64) {
        rowCount += lines.count; // wait for a row that tells the format
        continue;
      }
      format = detectFormat(rows.join('\n'));
      reader =
        format === 'kmsg' ? kmsgReader(options.bootTimeMs, shared)
        : format === 'journal-export' ? journalExportReader(options.nowMs, shared)
        : format === 'journal-json' ? { rows: (rs, first) => rs.forEach((row, i) => { const l = journalJsonLine(row, options.nowMs); if (l) shared(l, first + i); }), end: () => {} }
        : undefined;
    }
    const first = rowCount + 1;
    rowCount += lines.count;
    if (reader) {
      reader.rows(rowsOf(lines), first);
      continue;
    }
    // Text: each monitor reads the rows with its own pluginConfig, as its filelog source would.
    for (const read of texts) read(lines, first);
  }
  reader?.end();
  const problems = placed.sort((a, b) => a.at - b.at).map((p) => p.problem);
  return { file, format: format ?? 'text', lines: reader ? count : rowCount, unparsable, problems };
}

/** Replays log files through monitor files. Throws ConfigError for a bad monitor file or log file. */
export async function runReplay(options: ReplayOptions): Promise<ReplayResult> {
  const nowMs = options.nowMs ?? systemClock.now();
  const monitors: MonitorConfig[] = [];
  for (const f of options.monitorFiles) monitors.push(await readMonitorFile(f));
  const logMonitors = monitors.filter((m): m is LogMonitorConfig => m.kind === 'log');
  const files: ReplayFileResult[] = [];
  const pods = options.pods ? createPodDirectory(options.pods) : undefined;
  for (const file of options.logFiles) files.push(await replayFile(file, logMonitors, { bootTimeMs: options.bootTimeMs ?? 0, nowMs, pods }));
  return { skippedMonitors: monitors.filter((m) => m.kind !== 'log').map((m) => m.file), files };
}

/** Formats a replay result for the terminal. */
export function formatReplay(result: ReplayResult): string {
  const out: string[] = [];
  let total = 0;
  // A backlog's problems share a few rules and, in runs, a time: each is formatted once.
  const rules = new Map<ReplayProblem['rule'], string>();
  const ruleText = (r: ReplayProblem['rule']): string => {
    let text = rules.get(r);
    if (text === undefined) rules.set(r, (text = r ? `rules[${r.index}] ${r.type} ${JSON.stringify(r.pattern)}` : 'none: expired (expireAfter, or a count fell below its threshold)'));
    return text;
  };
  let [lastMs, lastIso] = [Number.NaN, ''];
  const iso = (t: Date): string => (t.getTime() === lastMs ? lastIso : ([lastMs, lastIso] = [t.getTime(), t.toISOString()])[1]);
  for (const f of result.files) {
    const bad = Object.entries(f.unparsable).map(([m, n]) => `, ${n} unparsable for ${m}`).join('');
    out.push(`${f.file} (${f.format}, ${plural(f.lines, 'line')}${bad}): ${f.problems.length === 0 ? 'no problems' : plural(f.problems.length, 'problem')}`);
    for (const p of f.problems) {
      total++;
      const change = p.change ? ` — ${p.change.type} ${p.change.from} → ${p.change.to}` : '';
      out.push(`  ${iso(p.time)} ${p.monitor}: ${p.reason}${change}`);
      out.push(`    rule: ${ruleText(p.rule)}`);
      p.lines.forEach((l, i) => out.push(`    line ${p.lineNumbers[i] ?? '?'}: ${l.length > 300 ? `${l.slice(0, 300)}…` : l}`));
      for (const a of p.attribution ?? []) out.push(`    → ${a}`);
    }
  }
  if (result.skippedMonitors.length > 0) out.push(`not replayed (probe monitors): ${result.skippedMonitors.join(', ')}`);
  out.push(`${plural(total, 'problem')} in ${plural(result.files.length, 'file')}`);
  return `${out.join('\n')}\n`;
}
