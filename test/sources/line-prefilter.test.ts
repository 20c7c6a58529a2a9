/**
 * The prefilter (src/sources/line-prefilter.ts) changes nothing a monitor does: a filelog source
 * read with a monitor's interest (only lines holding one of its literals, plus context) and read in
 * full give the same rule matches, events, conditions, skip-list hits and OOM-report joins, and the
 * same counts (lines left out + lines read = lines read in full; every skip reason equal). Checked
 * over random lines and rules (invalid UTF-8, non-ASCII, CRLF, cut lines, old, empty, unparsable,
 * `(?i)`, multi-line and start-anchored rules, skip lists) and over the log corpus with our
 * shipped monitors.
 */
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../../src/core/clock.js';
import { createMemoryLogger } from '../../src/core/logger.js';
import { readMonitorFile } from '../../src/config/load-monitor.js';
import type { LogMonitorConfig, LogRuleConfig } from '../../src/config/monitor-config.js';
import { createRuleEngine } from '../../src/monitors/rule-engine.js';
import { oomReportLiterals } from '../../src/pods/oom-report.js';
import { createFilelogSource } from '../../src/sources/filelog.js';
import { coversNeeds, createLinePrefilter, unionNeeds } from '../../src/sources/line-prefilter.js';
import type { LineInterest, LogLine, LogSource } from '../../src/sources/log-source.js';
import { createSourceHub } from '../../src/sources/source-hub.js';
import { corpusDir } from '../helpers/fixtures.js';
import { outcomes, prng } from '../helpers/rule-outcomes.js';
import { createRecordingTelemetry, type TelemetryCounts } from '../helpers/recording-telemetry.js';
import { logMonitorConfig } from '../monitors/log-monitor-config.js';

const NPD_SYSLOG = { timestamp: '^.{15}', message: 'kernel: \\[\\s*\\d+\\.\\d+\\] (.*)', timestampFormat: 'Jan _2 15:04:05' };
const MAX_LINE = 300;
const NOW = Date.now();

interface Read {
  readonly lines: LogLine[];
  readonly counts: TelemetryCounts;
  readonly omitted: number;
}

/** Reads `path` through a filelog source, with or without `interest`, until all `total` lines are accounted for. */
async function readLog(path: string, pluginConfig: Record<string, string>, total: number, needs: { literals: readonly string[] | undefined; context: number } | undefined, all = false): Promise<Read> {
  const telemetry = createRecordingTelemetry();
  // A "now" fixed per test run: lines without a time get it, in both reads alike.
  const now = NOW;
  // `all`: no line is too old (the corpus is years old).
  const source = createFilelogSource(
    { plugin: 'filelog', file: 'm.json', source: 'm', logPath: path, lookbackMs: all ? Infinity : 10 * 60_000, delayMs: 0, pluginConfig },
    { clock: { now: () => now, sleep: systemClock.sleep }, logger: createMemoryLogger(), telemetry, bootTimeMs: all ? 0 : now - 3_600_000 },
    { pollMs: 5, watch: false, maxLineChars: MAX_LINE, timeZone: 'UTC' },
  );
  let omitted = 0;
  const interest: LineInterest | undefined = needs && { ...needs, omitted: (_t, n) => void (omitted += n) };
  const lines: LogLine[] = [];
  const ac = new AbortController();
  const accounted = (): number => telemetry.counts.linesRead + omitted + Object.values(telemetry.counts.skipped).reduce((a, b) => a + b, 0);
  const batches = source.batches as NonNullable<typeof source.batches>;
  // A read that yields no batch (every line skipped) still ends once all lines are counted; a
  // source that loses count would wait at the end of the file forever: stop after 10 s and say so.
  const started = Date.now();
  const check = setInterval(() => (accounted() >= total || Date.now() - started > 10_000) && ac.abort(), 2);
  for await (const batch of batches(ac.signal, interest)) lines.push(...batch);
  clearInterval(check);
  expect([path, needs ? 'prefiltered' : 'in full', accounted(), telemetry.counts]).toEqual([path, needs ? 'prefiltered' : 'in full', total, telemetry.counts]);
  return { lines, counts: telemetry.counts, omitted };
}

const stamp = (ms: number): string => {
  const d = new Date(ms);
  const mon = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getUTCMonth()] as string;
  return `${mon} ${String(d.getUTCDate()).padStart(2, ' ')} ${d.toISOString().slice(11, 19)}`;
};

const everyTask = (n: number, run: string): string[] => Array.from({ length: n }, (_, i) => `task ${i} ${run}`);

const WORDS = [
  'Killed process', 'task', 'blocked for more than', 'seconds.', 'BUG:', 'kernel NULL pointer', 'oom-kill:constraint=CONSTRAINT_MEMCG,',
  'Out of memory', 'EXT4-fs error', 'foo', 'bar', 'Foo', 'BAR', 'x', '123', '4.5', 'é', '日本', ':', '[', ']', '(', ')', 'kernel:', 'total-vm:12kB',
];

/** A random kern.log: as bytes (invalid UTF-8 included), and its number of lines. */
function randomLog(rand: () => number, nowMs: number, n: number): { bytes: Buffer; lines: number } {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const parts: Buffer[] = [];
  // Lines come in runs of one timestamp text (a source counts such a run at once), some older than the lookback.
  let time = nowMs;
  let lines = n;
  for (let i = 0; i < n; i++) {
    const words = Array.from({ length: Math.floor(rand() * 7) }, () => pick(WORDS));
    let message = words.join(pick([' ', ' ', '  ', '\t', '']));
    if (rand() < 0.05) message = 'x'.repeat(MAX_LINE + Math.floor(rand() * 200)) + message; // cut
    if (rand() < 0.05) message += '   ';
    if (rand() < 0.02) message += `kernel: [\n${(rand() * 1000).toFixed(6).padStart(12)}] `; // a message head reaching into the next line
    if (rand() < 0.3) time = rand() < 0.1 ? nowMs - 20 * 60_000 : nowMs - Math.floor(rand() * 5 * 60_000);
    const head = rand() < 0.05 ? 'garbage' : rand() < 0.05 ? `${stamp(time)} node-1 kernel: ` : `${stamp(time)} node-1 kernel: [${(rand() * 1000).toFixed(6).padStart(12)}] `;
    const end = rand() < 0.05 ? '\r\n' : '\n';
    if (rand() < 0.02) {
      parts.push(Buffer.from(end)); // a blank line
      continue;
    }
    parts.push(Buffer.from(head));
    if (rand() < 0.03) parts.push(Buffer.from([0xff, 0xc3])); // invalid UTF-8
    parts.push(Buffer.from(`${message}${end}`));
    if (message.includes('\n')) lines++;
  }
  return { bytes: Buffer.concat(parts), lines };
}

/** Words rules are made of (lines hold them and others). */
const RULE_WORDS = ['foo', 'bar', 'Foo', 'BAR', 'task', 'blocked for more than', 'BUG:', 'kernel NULL pointer', 'Out of memory', 'EXT4-fs error', 'Killed process', '日本'];

/** A random rule set: literals with gaps, multi-line rules (`[^#]*` reaches over lines), and now and then `(?i)`, `^` or no literal. */
function randomRules(rand: () => number): LogRuleConfig[] {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const gaps = ['\\d+', '.*', '[^ ]+', '\\S+', ' ', '\\s*', '(x|foo)', '\\n.*'];
  return Array.from({ length: 1 + Math.floor(rand() * 4) }, (_, i) => {
    const [a, b] = [pick(RULE_WORDS), pick(RULE_WORDS)];
    const shape = rand();
    const pattern =
      shape < 0.4 ? `${a}${pick(gaps)}${b}`
      : shape < 0.75 ? `${a}[^#]*${b}.*`
      : shape < 0.85 ? `${a}`
      : shape < 0.9 ? `(?i)${a}`
      : shape < 0.97 ? `^${a}.*`
      : '.*';
    const permanent = rand() < 0.4;
    return { type: permanent ? 'permanent' : 'temporary', reason: `R${i}`, pattern, condition: permanent ? 'C' : undefined, patternGeneratedMessageSuffix: undefined };
  });
}

describe('prefilter equivalence', () => {
  let dir: string;
  beforeAll(async () => void (dir = await mkdtemp(join(tmpdir(), 'npd-prefilter-'))));
  afterAll(() => rm(dir, { recursive: true, force: true }));

  /** Reads the file both ways (with the monitors' needs together, as a hub asks) and compares; returns whether lines were left out. */
  async function compare(path: string, total: number, pluginConfig: Record<string, string>, configs: readonly LogMonitorConfig[], nowMs: number, all = false): Promise<boolean> {
    const needs = unionNeeds([...configs.map((c) => createRuleEngine(c, { now: () => nowMs })), { literals: oomReportLiterals }]);
    const full = await readLog(path, pluginConfig, total, undefined, all);
    const filtered = await readLog(path, pluginConfig, total, needs, all);
    expect(filtered.counts.skipped).toEqual(full.counts.skipped);
    expect(filtered.counts.linesRead + filtered.omitted).toBe(full.counts.linesRead);
    for (const config of configs) expect(outcomes(config, filtered.lines, nowMs)).toEqual(outcomes(config, full.lines, nowMs));
    return filtered.omitted > 0;
  }

  test('random lines and rules: same matches, events, conditions, skips and counts', async () => {
    let prefiltered = 0;
    let acted = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const rand = prng(seed);
      const nowMs = NOW;
      const log = randomLog(rand, nowMs, seed % 4 === 0 ? 1500 : 400); // some over 64 KiB: lines and context across batches
      const path = join(dir, `random-${seed}.log`);
      await writeFile(path, log.bytes);
      const config = logMonitorConfig({
        plugin: 'filelog', pluginConfig: NPD_SYSLOG, bufferSize: 1 + Math.floor(rand() * 5), rules: randomRules(rand),
        conditions: [{ type: 'C', reason: 'CFine', message: 'fine', expireAfterMs: undefined }],
        skipList: rand() < 0.3 ? ['BAR'] : [],
      });
      try {
        if (await compare(path, log.lines, NPD_SYSLOG, [config], nowMs)) prefiltered++;
      } catch (err) {
        throw new Error(`seed ${seed}, rules ${JSON.stringify(config.rules.map((r) => r.pattern))}: ${String(err)}`, { cause: err });
      }
      if (outcomes(config, (await readLog(path, NPD_SYSLOG, log.lines, undefined)).lines, nowMs).some((o) => o.startsWith('match'))) acted++;
    }
    // The cases exercise the prefilter (most rule sets have literals) and rules that fire.
    expect(prefiltered).toBeGreaterThan(15);
    expect(acted).toBeGreaterThan(15);
  }, 120_000);

  test('a long run of lines with a literal, held behind a line kept as context, comes out whole and in order', async () => {
    // "plain" lines have no literal and are kept as context for the spanning rule; the "task" lines
    // after one need no context and wait behind it: 40 of them outgrow the 16 slots held at first.
    const messages = [...Array.from({ length: 10 }, (_, i) => `plain ${i}`), 'plain one', ...everyTask(40, 'a'), 'plain two', 'foo starts', ...everyTask(20, 'b'), 'bar ends it'];
    const text = messages.map((m, i) => `${stamp(NOW - 1000)} node-1 kernel: [${(i + 1).toFixed(6).padStart(12)}] ${m}\n`).join('');
    const path = join(dir, 'held-run.log');
    await writeFile(path, text);
    const rule = (reason: string, pattern: string): LogRuleConfig => ({ type: 'temporary', reason, pattern, condition: undefined, patternGeneratedMessageSuffix: undefined });
    const config = logMonitorConfig({
      plugin: 'filelog', pluginConfig: NPD_SYSLOG, bufferSize: 5, rules: [rule('Task', 'task \\d+ [ab]'), rule('Span', 'foo[^#]*bar.*')],
      conditions: [{ type: 'C', reason: 'CFine', message: 'fine', expireAfterMs: undefined }], skipList: [],
    });
    expect(await compare(path, messages.length, NPD_SYSLOG, [config], NOW)).toBe(true);
    const tasks = outcomes(config, (await readLog(path, NPD_SYSLOG, messages.length, undefined)).lines, NOW).filter((o) => o.startsWith('event Task'));
    expect(tasks).toHaveLength(60);
  });

  test('a match spanning 18 lines without a literal, all held as context: its lines come out whole', async () => {
    const messages = ['foo starts', ...Array.from({ length: 18 }, (_, i) => `plain ${i}`), 'bar ends it'];
    const text = messages.map((m, i) => `${stamp(NOW - 1000)} node-1 kernel: [${(i + 1).toFixed(6).padStart(12)}] ${m}\n`).join('');
    const path = join(dir, 'held-context.log');
    await writeFile(path, `${text}${text}`);
    const config = logMonitorConfig({
      plugin: 'filelog', pluginConfig: NPD_SYSLOG, bufferSize: 20,
      rules: [{ type: 'temporary', reason: 'Span', pattern: 'foo[^#]*bar.*', condition: undefined, patternGeneratedMessageSuffix: undefined }],
      conditions: [{ type: 'C', reason: 'CFine', message: 'fine', expireAfterMs: undefined }], skipList: [],
    });
    await compare(path, 2 * messages.length, NPD_SYSLOG, [config], NOW);
    const matches = outcomes(config, (await readLog(path, NPD_SYSLOG, 2 * messages.length, undefined)).lines, NOW).filter((o) => o.startsWith('match'));
    expect(matches).toHaveLength(2);
    expect(matches[1]).toContain('plain 0 | ');
  });

  test('the corpus with our shipped monitors, read as NPD syslog and as generic text', async () => {
    const monitors = await Promise.all(['kernel-monitor.json', 'docker-monitor.json', 'readonly-monitor.json'].map((f) => readMonitorFile(new URL(`../../monitors/${f}`, import.meta.url).pathname)));
    const files = (await readdir(corpusDir, { recursive: true, withFileTypes: true })).filter((d) => d.isFile() && d.name !== 'README.md').map((d) => join(d.parentPath, d.name));
    let prefiltered = 0;
    for (const file of files) {
      const text = await readFile(file);
      // Lines that end in a newline: a last line without one waits for the rest of it.
      const total = text.toString('latin1').split('\n').length - 1;
      for (const pluginConfig of [NPD_SYSLOG, {}]) {
        const configs = monitors.flatMap((m) => (m.kind === 'log' ? [{ ...m, plugin: 'filelog', pluginConfig }] : []));
        try {
          if (await compare(file, total, pluginConfig, configs, NOW, true)) prefiltered++;
        } catch (err) {
          throw new Error(`${file} with ${JSON.stringify(pluginConfig)}: ${String(err)}`, { cause: err });
        }
      }
    }
    expect(prefiltered).toBeGreaterThan(files.length / 2);
  }, 120_000);
});

describe('line prefilter', () => {
  test('search finds every literal occurrence in order, from any start', () => {
    const text = 'ab foo bar\nfoo\nxbarfoo';
    const next = createLinePrefilter(['foo', 'bar']).search(text);
    const found: number[] = [];
    for (let p = next(0); p >= 0; p = next(p + 1)) found.push(p);
    expect(found).toEqual([3, 7, 11, 16, 19]);
  });

  test.each([
    ['every line when one consumer needs every line', [{ literals: ['a'] }, { literals: undefined }], undefined, 0],
    ['the union, and the most context', [{ literals: ['a', 'b'], context: 2 }, { literals: ['b', 'c'] }], ['a', 'b', 'c'], 2],
    ['a literal with a newline stands for its parts', [{ literals: ['x\ny'] }], ['x', 'y'], 0],
    ['an empty literal: every line', [{ literals: [''] }], undefined, 0],
  ])('unionNeeds: %s', (_name, all, literals, context) => {
    expect(unionNeeds(all)).toEqual({ literals, context });
  });

  test('unionNeeds: the context tests of the consumers with context; none (every line) when one has context and no tests', () => {
    const [t1, t2] = [(m: string) => m === 'x', (m: string) => m === 'y'];
    expect(unionNeeds([{ literals: ['a'], context: 2, contextTests: [t1] }, { literals: ['b'], context: 1, contextTests: [t2, t1] }, { literals: ['c'] }])).toEqual({ literals: ['a', 'b', 'c'], context: 2, contextTests: [t1, t2] });
    expect(unionNeeds([{ literals: ['a'], context: 2, contextTests: [t1] }, { literals: ['b'], context: 1 }])).toEqual({ literals: ['a', 'b'], context: 2 });
    expect(unionNeeds([{ literals: ['a'], contextTests: [t1] }])).toEqual({ literals: ['a'], context: 0 });
    const given = unionNeeds([{ literals: ['a'], context: 2, contextTests: [t1] }]);
    expect([coversNeeds(given, { literals: ['a'], context: 2, contextTests: [t1] }), coversNeeds(given, { literals: ['a'], context: 2, contextTests: [t2] }), coversNeeds(given, { literals: ['a'], context: 2 }), coversNeeds(given, { literals: ['a'], contextTests: [t2] })]).toEqual([true, false, false, true]);
  });

  test.each([
    ['every line covers anything', { literals: undefined, context: 0 }, { literals: undefined }, true],
    ['literals do not cover every line', { literals: ['a'], context: 0 }, { literals: undefined }, false],
    ['a subset is covered', { literals: ['a', 'b'], context: 1 }, { literals: ['b'], context: 1 }, true],
    ['a missing literal is not', { literals: ['a'], context: 0 }, { literals: ['b'] }, false],
    ['more context is not', { literals: ['a'], context: 0 }, { literals: ['a'], context: 3 }, false],
  ])('coversNeeds: %s', (_name, given, needs, want) => {
    expect(coversNeeds(given, needs)).toBe(want);
  });
});

describe('source hub with a prefilter', () => {
  let dir: string;
  beforeAll(async () => void (dir = await mkdtemp(join(tmpdir(), 'npd-prefilter-hub-'))));
  afterAll(() => rm(dir, { recursive: true, force: true }));

  /** Two monitors of one file through a hub; each monitor's messages and its own counts. */
  async function readTwo(a: LineInterest | undefined, b: LineInterest | undefined): Promise<{ messages: string[][]; read: Record<string, number>; old: Record<string, number> }> {
    const path = join(dir, 'kern.log');
    const lines = [
      `${stamp(NOW - 20 * 60_000)} node-1 kernel: [ 1.0] foo too old`,
      ...Array.from({ length: 300 }, (_, i) => `${stamp(NOW)} node-1 kernel: [ 2.0] ${['foo here', 'bar there', 'neither'][i % 3]} ${i}`),
    ];
    await writeFile(path, `${lines.join('\n')}\n`);
    const read: Record<string, number> = {};
    const old: Record<string, number> = {};
    const telemetry = { ...createRecordingTelemetry(), linesRead: (s: string, n = 1) => void (read[s] = (read[s] ?? 0) + n), linesSkipped: (s: string, r: string, n = 1) => void (r === 'old' && (old[s] = (old[s] ?? 0) + n)) };
    const deps = { clock: { now: () => NOW, sleep: systemClock.sleep }, logger: createMemoryLogger(), telemetry, bootTimeMs: NOW - 3_600_000 };
    const hub = createSourceHub(deps, (config, d) => createFilelogSource(config, d, { pollMs: 5, watch: false, timeZone: 'UTC' }));
    const config = (source: string) => ({ plugin: 'filelog', file: `${source}.json`, source, logPath: path, lookbackMs: 10 * 60_000, delayMs: 0, pluginConfig: NPD_SYSLOG });
    const ac = new AbortController();
    const take = async (source: string, interest: LineInterest | undefined): Promise<string[]> => {
      const out: string[] = [];
      const batches = hub.source(config(source), source).batches as NonNullable<LogSource['batches']>;
      const check = setInterval(() => (read[source] ?? 0) >= 300 && ac.abort(), 2);
      for await (const batch of batches(ac.signal, interest)) out.push(...batch.map((l) => l.message));
      clearInterval(check);
      return out;
    };
    const messages = await Promise.all([take('a', a), take('b', b)]);
    await hub.close();
    return { messages, read, old };
  }

  test('each monitor gets the lines it needs and counts every line, read or old', async () => {
    const r = await readTwo({ literals: ['foo'] }, { literals: ['bar'] });
    // The reader is asked for foo or bar lines: each monitor gets those (its own and the other's).
    expect(r.messages[0]).toEqual(r.messages[1]);
    expect(r.messages[0]).toHaveLength(200);
    expect(r.messages[0]?.every((m) => m.includes('foo') || m.includes('bar'))).toBe(true);
    expect(r.read).toEqual({ a: 300, b: 300 });
    expect(r.old).toEqual({ a: 1, b: 1 });
  });

  test('a monitor that needs every line turns the prefilter off for the input', async () => {
    const r = await readTwo({ literals: ['foo'] }, undefined);
    expect(r.messages[0]).toHaveLength(300);
    expect(r.messages[1]).toHaveLength(300);
    expect(r.read).toEqual({ a: 300, b: 300 });
  });
});
