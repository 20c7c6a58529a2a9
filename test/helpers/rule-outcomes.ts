/**
 * What a log monitor's rules do over a sequence of lines, as comparable text: the prefilter tests
 * read the same input with and without a prefilter and compare these.
 */
import type { LogMonitorConfig } from '../../src/config/monitor-config.js';
import { createRuleEngine } from '../../src/monitors/rule-engine.js';
import { createOomReportTracker } from '../../src/pods/oom-report.js';
import type { LogLine } from '../../src/sources/log-source.js';

/** A seeded PRNG, so a failure names its seed. */
export { seededRandom as prng } from '../../bench/helpers/prng.js';

/** What a monitor did over a file's lines: per acting line, its matches, events and skips; the OOM joins. */
export function outcomes(config: LogMonitorConfig, lines: readonly LogLine[], nowMs: number): string[] {
  const engine = createRuleEngine(config, { now: () => nowMs });
  const oom = createOomReportTracker();
  const out: string[] = [];
  for (const line of lines) {
    const r = engine.push(line);
    const kill = oom.push(line.message);
    if (kill) out.push(`oom ${JSON.stringify(kill)}`);
    if (r.skipped) out.push(`skip ${line.message}`);
    for (const m of r.matches) out.push(`match ${m.ruleIndex} ${m.lines.map((l) => `${l.time.getTime()} ${l.message}`).join(' | ')}`);
    for (const e of r.events) out.push(`event ${e.reason} ${e.message}`);
    if (r.changed) out.push(`conditions ${r.conditions.map((c) => `${c.type}=${c.status}`).join(',')}`);
  }
  return out;
}

