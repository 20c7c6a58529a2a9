/**
 * `npd replay`'s text path: one monitor's reading of a text log file, through the filelog source's
 * own line step (sources/filelog-emit.ts): the monitor's parser, the line filter (without a start
 * point: every line counts) and the prefilter, so only lines holding one of the rules' literals
 * (and their context) are parsed and matched, as in the agent. A monitor whose conditions expire
 * (`expireAfter`, counting rules) reads every line: replay checks expiries on each line's time.
 */
import { systemClock } from '../core/clock.js';
import { silentLogger } from '../core/logger.js';
import { noopTelemetry } from '../core/telemetry.js';
import type { LogMonitorConfig } from '../config/monitor-config.js';
import { createRuleEngine } from '../monitors/rule-engine.js';
import { oomReportLiterals } from '../pods/oom-report.js';
import { createLineEmitter } from '../sources/filelog-emit.js';
import { createRangeDescriber } from '../sources/line-describe.js';
import { createBatchLineFilter } from '../sources/line-filter.js';
import { createLineReaders } from '../sources/line-parser.js';
import { unionNeeds } from '../sources/line-prefilter.js';
import type { LineRanges } from '../sources/line-splitter.js';
import type { LineSink } from './replay-input.js';

/** Whether a monitor's conditions can return to False on their own (as the log monitor decides). */
function expires(m: LogMonitorConfig): boolean {
  return m.conditions.some((c) => c.expireAfterMs !== undefined) || m.rules.some((r) => r.type === 'permanent' && r.count !== undefined);
}

/**
 * Creates the reader of one monitor: give it each piece of the file's text with the number of its
 * first row; it hands `sink` the lines the monitor needs, numbered, and counts unparsable rows into
 * `unparsable[monitor source]`. `attributes`: the OOM attribution step reads its lines too.
 */
export function textReader(m: LogMonitorConfig, sink: LineSink, options: { nowMs: number; attributes: boolean; unparsable: Record<string, number> }): (lines: LineRanges, first: number) => void {
  const pluginConfig = m.plugin === 'filelog' ? m.pluginConfig : {};
  const parserOptions = { file: m.file, nowMs: options.nowMs };
  const { parse, describe } = createLineReaders(pluginConfig, parserOptions);
  const { unparsable } = options;
  const telemetry = { ...noopTelemetry, linesSkipped: (_s: string, reason: string, n = 1) => void (reason === 'unparsable' && (unparsable[m.source] = (unparsable[m.source] ?? 0) + n)) };
  const config = { plugin: m.plugin, file: m.file, source: m.source, logPath: m.logPath, lookbackMs: Infinity, delayMs: 0, pluginConfig };
  const filter = createBatchLineFilter(config, { clock: { now: () => options.nowMs, sleep: systemClock.sleep }, logger: silentLogger, telemetry, bootTimeMs: -Infinity });
  const engine = createRuleEngine(m, { now: () => options.nowMs });
  const needs = expires(m) ? undefined : unionNeeds(options.attributes ? [engine, { literals: oomReportLiterals }] : [engine]);
  const numbers: number[] = [];
  const emit = createLineEmitter(parse, createRangeDescriber(pluginConfig, parserOptions, describe), filter, needs && { ...needs, omitted() {} }, (i) => numbers.push(i));
  return (lines, first) => {
    numbers.length = 0;
    const batch = emit(lines) ?? [];
    batch.forEach((line, j) => sink(line, first + (numbers[j] as number)));
  };
}
