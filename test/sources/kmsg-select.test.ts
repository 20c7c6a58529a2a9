/**
 * The prefilter on kmsg records (src/sources/kmsg-select.ts) changes nothing a monitor does: the
 * same records read with the monitors' interest (only records whose message holds one of their
 * literals, plus context) and read in full give the same rule matches, events and conditions, and
 * the same counts (left out + read = read in full; every skip reason equal). Random records (old,
 * empty, malformed, `\xHH` escapes, dictionary lines, gaps) under the shipped kmsg monitors and
 * under random rules; a fake device, one record per read, and a manual clock.
 */
import { readMonitorFile } from '../../src/config/load-monitor.js';
import type { LogMonitorConfig, LogRuleConfig } from '../../src/config/monitor-config.js';
import { createManualClock } from '../../src/core/clock.js';
import { createMemoryLogger } from '../../src/core/logger.js';
import { createRuleEngine } from '../../src/monitors/rule-engine.js';
import { oomReportLiterals } from '../../src/pods/oom-report.js';
import { createKmsgSource } from '../../src/sources/kmsg.js';
import { unionNeeds } from '../../src/sources/line-prefilter.js';
import type { LineInterest, LogLine } from '../../src/sources/log-source.js';
import { fakeKmsgDevice } from '../helpers/fake-kmsg.js';
import { createRecordingTelemetry, type TelemetryCounts } from '../helpers/recording-telemetry.js';
import { outcomes, prng } from '../helpers/rule-outcomes.js';
import { logMonitorConfig } from '../monitors/log-monitor-config.js';

const clockStart = 1_767_225_600_000;
const bootTimeMs = clockStart - 3_600_000;
const WORDS = [
  'Killed process 42 (x) total-vm:12kB, anon-rss:1kB', 'task', 'blocked for more than', '120 seconds.', 'BUG:', 'kernel NULL pointer dereference', 'Out of memory',
  'EXT4-fs error', 'Remounting filesystem read-only', 'unregister_netdevice: waiting for', 'eth0', 'to become free', 'foo', 'bar', 'Foo', 'é', ':', '[', ']', '\\x09', '\\x5c',
];
const RULE_WORDS = ['foo', 'bar', 'Foo', 'task', 'blocked for more than', 'BUG:', 'Out of memory', 'EXT4-fs error', 'é', '\t'];

/** Random records from sequence number 1 on: returns their text and how many parse (each one line read or skipped). */
function randomRecords(rand: () => number, n: number): { records: string[]; total: number } {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const records: string[] = [];
  let seq = 0;
  for (let i = 0; i < n; i++) {
    seq += rand() < 0.03 ? 3 : 1; // a gap now and then
    if (rand() < 0.03) {
      records.push(`garbage ${i}\n`); // malformed: counted unparsable
      continue;
    }
    const ageMs = rand() < 0.1 ? 20 * 60_000 : Math.floor(rand() * 5 * 60_000); // some older than the lookback
    const usec = (clockStart - bootTimeMs - ageMs) * 1000 + Math.floor(rand() * 1000);
    let message = Array.from({ length: Math.floor(rand() * 6) }, () => pick(WORDS)).join(pick([' ', ' ', '  ', '']));
    if (rand() < 0.05) message = `  ${message}  `;
    const dict = rand() < 0.1 ? ` SUBSYSTEM=${pick(['pci', 'foo', 'Out of memory'])}\n DEVICE=+pci:0000:00:01.0\n` : '';
    records.push(`${pick([3, 4, 6])},${seq},${usec},-;${message}\n${dict}`);
  }
  return { records, total: n };
}

function randomRules(rand: () => number): LogRuleConfig[] {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  return Array.from({ length: 1 + Math.floor(rand() * 3) }, (_, i) => {
    const [a, b] = [pick(RULE_WORDS), pick(RULE_WORDS)];
    const shape = rand();
    const pattern = shape < 0.5 ? `${a}.*${b}` : shape < 0.8 ? `${a}[^#]*${b}.*` : shape < 0.9 ? `(?i)${a}` : `^${a}.*`;
    const permanent = rand() < 0.4;
    return { type: permanent ? 'permanent' : 'temporary', reason: `R${i}`, pattern, condition: permanent ? 'C' : undefined, patternGeneratedMessageSuffix: undefined };
  });
}

/** Reads `records` through the kmsg source, with or without `needs`, until every record is accounted for. */
async function read(records: readonly string[], total: number, needs: { literals: readonly string[] | undefined; context: number } | undefined) {
  const telemetry = createRecordingTelemetry();
  // The last record holds an escape, so it is handed on either way and ends the read.
  const dev = fakeKmsgDevice([[...records, `6,999999,${(clockStart - bootTimeMs) * 1000},-;end \\x41\n`]]);
  const source = createKmsgSource(
    { plugin: 'kmsg', file: 'm.json', source: 'm', logPath: '/dev/kmsg', lookbackMs: 10 * 60_000, delayMs: 0, pluginConfig: {} },
    { clock: createManualClock(clockStart), logger: createMemoryLogger(), telemetry, bootTimeMs, random: () => 0.5 },
    { open: dev.open },
  );
  let omitted = 0;
  const interest: LineInterest | undefined = needs && { ...needs, omitted: (_t, n) => void (omitted += n) };
  const accounted = (c: TelemetryCounts): number => c.linesRead + omitted + Object.values(c.skipped).reduce((a, b) => a + b, 0);
  const lines: LogLine[] = [];
  const ac = new AbortController();
  for await (const batch of source.batches?.(ac.signal, interest) ?? []) {
    lines.push(...batch);
    if (lines.at(-1)?.message === 'end A') break;
  }
  ac.abort();
  expect(accounted(telemetry.counts)).toBe(total + 1);
  return { lines, counts: telemetry.counts, omitted };
}

async function compare(records: readonly string[], total: number, configs: readonly LogMonitorConfig[]): Promise<boolean> {
  const needs = unionNeeds([...configs.map((c) => createRuleEngine(c, { now: () => clockStart })), { literals: oomReportLiterals }]);
  const full = await read(records, total, undefined);
  const filtered = await read(records, total, needs);
  expect(filtered.counts.skipped).toEqual(full.counts.skipped);
  expect(filtered.counts.kmsgLost).toBe(full.counts.kmsgLost);
  expect(filtered.counts.linesRead + filtered.omitted).toBe(full.counts.linesRead);
  for (const config of configs) expect(outcomes(config, filtered.lines, clockStart)).toEqual(outcomes(config, full.lines, clockStart));
  return filtered.omitted > 0;
}

describe('kmsg prefilter equivalence', () => {
  test('random records under the shipped kmsg monitors and under random rules', async () => {
    const shipped = await Promise.all(['kernel-monitor.json', 'readonly-monitor.json', 'kernel-monitor-counter.json'].map((f) => readMonitorFile(new URL(`../../monitors/${f}`, import.meta.url).pathname)));
    const kmsgMonitors = shipped.flatMap((m) => (m.kind === 'log' ? [m] : []));
    let prefiltered = 0;
    let acted = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const rand = prng(seed);
      const { records, total } = randomRecords(rand, seed % 4 === 0 ? 1500 : 300); // some over a batch: context across batches
      const random = logMonitorConfig({
        plugin: 'kmsg', bufferSize: 1 + Math.floor(rand() * 5), rules: randomRules(rand),
        conditions: [{ type: 'C', reason: 'CFine', message: 'fine', expireAfterMs: undefined }],
        skipList: rand() < 0.3 ? ['bar'] : [],
      });
      const configs = seed % 2 === 0 ? kmsgMonitors : [random];
      try {
        if (await compare(records, total, configs)) prefiltered++;
      } catch (err) {
        throw new Error(`seed ${seed}: ${String(err)}`, { cause: err });
      }
      const full = await read(records, total, undefined);
      if (configs.some((c) => outcomes(c, full.lines, clockStart).some((o) => o.startsWith('match')))) acted++;
    }
    expect(prefiltered).toBeGreaterThan(20);
    expect(acted).toBeGreaterThan(20);
  }, 120_000);
});
