/**
 * Throughput of the log pipeline against `grep -E -c` with the same patterns on the same file:
 * a generated kern.log (≥ 1M lines, mostly benign kernel noise, about 1 in 1000 a problem line in
 * the corpus's formats) through (a) the filelog source reading the file (by `batches()`, as the
 * log monitor does) + window + every rule of monitors/kernel-monitor-filelog.json, (b) the line
 * parser + rule engine over lines in memory, (c) the rule engine alone, and (d) `LC_ALL=C grep -E -c`
 * with the rules translated to ERE. Each stage runs `runs` times (default 3) and the median time is
 * printed, with the fastest and slowest run, so one noisy moment on a shared machine does not decide;
 * CPU time (ours from process.cpuUsage, grep's from the reaped child's cutime + cstime) is printed
 * beside it, since wall time here swings with the neighbours' load.
 *
 *   npm run build && node --enable-experimental-regexp-engine-on-excessive-backtracks dist/bench/log-pipeline.js [lines=1000000] [runs=3]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../src/core/clock.js';
import { readMonitorFile } from '../src/config/load-monitor.js';
import type { LogMonitorConfig } from '../src/config/monitor-config.js';
import { silentLogger } from '../src/core/logger.js';
import { createRuleEngine } from '../src/monitors/rule-engine.js';
import { createFilelogSource } from '../src/sources/filelog.js';
import { createLineParser } from '../src/sources/line-parser.js';
import type { LogLine } from '../src/sources/log-source.js';
import { noopTelemetry } from '../src/core/telemetry.js';
import { isProblemLine, kernLogRow, syslogStamp } from './helpers/kern-log-lines.js';
import { enableLinearRegexpEngine } from '../src/re2/linear-engine.js';

// As the CLI does: rule patterns are checked against, and fall back to, V8's linear-time engine.
enableLinearRegexpEngine();

const total = Number(process.argv[2] ?? 1_000_000);
const runs = Math.max(1, Number(process.argv[3] ?? 3));
const root = new URL('../../', import.meta.url).pathname;
const monitor = (await readMonitorFile(join(root, 'monitors/kernel-monitor-filelog.json'))) as LogMonitorConfig;

const dir = mkdtempSync(join(tmpdir(), 'npd-bench-'));
const file = join(dir, 'kern.log');
/** Writes the kern.log; the rows are dropped afterwards so the stages run on a small heap. */
const generate = (): { bytes: number; expected: number } => {
  const start = Date.now() - 86_400_000;
  const rows: string[] = [];
  let expected = 0;
  for (let i = 0; i < total; i++) {
    if (isProblemLine(i)) expected++;
    rows.push(kernLogRow(syslogStamp(start + i * 50), i));
  }
  const text = `${rows.join('\n')}\n`;
  writeFileSync(file, text);
  return { bytes: Buffer.byteLength(text), expected };
};
const { bytes, expected } = generate();

interface Row {
  stage: string;
  lines: number;
  /** Median wall time over the runs. */
  seconds: number;
  min: number;
  max: number;
  /** Median CPU time (user + system) over the runs: this process's, or grep's for the grep stage. */
  cpuSeconds: number;
  matched: number;
}
const results: Row[] = [];
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
/** CPU seconds of reaped children (cutime + cstime of /proc/self/stat), in clock ticks of 10 ms. */
const childCpuSeconds = (): number => {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[13]) + Number(fields[14])) / 100;
};
const selfCpuSeconds = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const time = async (stage: string, fn: () => Promise<{ lines: number; matched: number }> | { lines: number; matched: number }, cpu = selfCpuSeconds): Promise<void> => {
  const seconds: number[] = [];
  const cpuSeconds: number[] = [];
  let last = { lines: 0, matched: 0 };
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const c0 = cpu();
    const r = await fn();
    seconds.push((performance.now() - t0) / 1000);
    cpuSeconds.push(cpu() - c0);
    if (i > 0 && (r.lines !== last.lines || r.matched !== last.matched)) throw new Error(`${stage}: run ${i + 1} gave ${r.lines}/${r.matched}, run ${i} ${last.lines}/${last.matched}`);
    last = r;
  }
  results.push({ stage, seconds: median(seconds), min: Math.min(...seconds), max: Math.max(...seconds), cpuSeconds: median(cpuSeconds), ...last });
};
const nowMs = Date.now();

async function* oneByOne(lines: AsyncIterable<LogLine>): AsyncGenerator<readonly LogLine[]> {
  for await (const line of lines) yield [line];
}

await time('filelog source + window + rules', async () => {
  const source = createFilelogSource(
    { plugin: 'filelog', file: monitor.file, source: monitor.source, logPath: file, lookbackMs: 10 * 365 * 86_400_000, delayMs: 0, pluginConfig: monitor.pluginConfig },
    { clock: systemClock, logger: silentLogger, telemetry: noopTelemetry, bootTimeMs: 0 },
    { pollMs: 50 },
  );
  const engine = createRuleEngine(monitor, { now: () => nowMs });
  const ac = new AbortController();
  let lines = 0;
  let matched = 0;
  let last = lines;
  const watchdog = setInterval(() => {
    if (lines === last) ac.abort();
    last = lines;
  }, 3000);
  // As the log monitor reads it: a batch per read when the source offers batches.
  const batches = source.batches ? source.batches(ac.signal) : oneByOne(source.lines(ac.signal));
  for await (const batch of batches) {
    for (const line of batch) {
      lines++;
      if (engine.push(line).matches.length > 0) matched++;
    }
    if (lines >= total) ac.abort();
  }
  clearInterval(watchdog);
  return { lines, matched };
});

const fileRows = readFileSync(file, 'utf8').split('\n');
fileRows.pop();
await time('line parser + window + rules (in memory)', () => {
  const parse = createLineParser(monitor.pluginConfig, { file: monitor.file, nowMs });
  const engine = createRuleEngine(monitor, { now: () => nowMs });
  let matched = 0;
  for (const row of fileRows) {
    const line = parse(row);
    if (!line) continue;
    if (engine.push(line).matches.length > 0) matched++;
  }
  return { lines: fileRows.length, matched };
});

// Parsed outside the timing (keeping 1M lines alive would otherwise weigh on the stage above).
const parsed: LogLine[] = [];
const parseAll = createLineParser(monitor.pluginConfig, { file: monitor.file, nowMs });
for (const row of fileRows) {
  const line = parseAll(row);
  if (line) parsed.push(line);
}
await time('window + rules only', () => {
  const engine = createRuleEngine(monitor, { now: () => nowMs });
  let matched = 0;
  for (const line of parsed) if (engine.push(line).matches.length > 0) matched++;
  return { lines: parsed.length, matched };
});

/** RE2 → GNU ERE for the shipped kernel rules (`\d`, `[\S ]`), anchored at the line end like `\z`. */
const toEre = (p: string): string => `${p.replace(/\[\\S \]/g, '([^[:space:]]| )').replace(/\\d/g, '[0-9]').replace(/\$$/, '')}$`;
const args = ['-E', '-c', ...monitor.rules.flatMap((r) => ['-e', toEre(r.pattern)]), file];
await time('LC_ALL=C grep -E -c (same patterns)', () => {
  let out = '0';
  try {
    out = execFileSync('grep', args, { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } });
  } catch (err) {
    out = String((err as { stdout?: string }).stdout ?? '0');
  }
  return { lines: total, matched: Number(out.trim()) };
}, childCpuSeconds);

rmSync(dir, { recursive: true, force: true });

const grep = results[results.length - 1] as Row;
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
console.log(`log pipeline: ${fmt(total)} lines, ${(bytes / 1e6).toFixed(1)} MB kern.log, ${monitor.rules.length} rules (monitors/kernel-monitor-filelog.json), ${fmt(expected)} problem lines, node ${process.version}`);
console.log(`median of ${runs} runs per stage; "vs grep" compares lines/s by wall time and by CPU time (this machine's wall time swings with its neighbours' load)`);
console.log(`${'stage'.padEnd(44)} ${'lines'.padStart(10)} ${'seconds'.padStart(8)} ${'min–max'.padStart(13)} ${'CPU s'.padStart(6)} ${'lines/s'.padStart(12)} ${'matched'.padStart(8)} ${'vs grep'.padStart(8)} ${'by CPU'.padStart(7)}`);
for (const r of results) {
  const rate = r.lines / r.seconds;
  const ratio = rate / (grep.lines / grep.seconds);
  const cpuRatio = r.lines / r.cpuSeconds / (grep.lines / grep.cpuSeconds);
  const spread = `${r.min.toFixed(3)}–${r.max.toFixed(3)}`;
  console.log(
    `${r.stage.padEnd(44)} ${fmt(r.lines).padStart(10)} ${r.seconds.toFixed(3).padStart(8)} ${spread.padStart(13)} ${r.cpuSeconds.toFixed(2).padStart(6)} ${fmt(rate).padStart(12)} ${fmt(r.matched).padStart(8)} ${ratio.toFixed(2).padStart(8)} ${cpuRatio.toFixed(2).padStart(7)}`,
  );
}
