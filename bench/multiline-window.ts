/**
 * The multi-line window under hostile input (issue 14): a multi-line rule with a catastrophic shape,
 * `bufferSize` 1000 and lines of 200 K characters. Before the character cap the window joined every
 * line it held (up to 200 MB per line; the agent stalled 35 s at 254 MB RSS); with the cap it holds
 * at most `maxWindowChars`, or the newest line alone, and a long text runs on V8's linear-time
 * engine. Prints the slowest and mean time per line and the largest window with the cap, and the
 * time of one line before it (the JIT over 1, 2 and 5 joined lines; 1,000 took 35 s). Then a
 * quadratic single-line case: `.*x$` on a 64 Ki-character line holding the rule's key, which the
 * JIT searches from every start without ever falling back.
 *
 *   npm run build && node --enable-experimental-regexp-engine-on-excessive-backtracks dist/bench/multiline-window.js [lines=1000]
 */
import { performance } from 'node:perf_hooks';
import { createRuleMatcher, maxWindowChars } from '../src/monitors/rule-matcher.js';
import { compileRe2 } from '../src/re2/re2.js';
import type { LogRuleConfig } from '../src/config/monitor-config.js';
import { enableLinearRegexpEngine } from '../src/re2/linear-engine.js';

enableLinearRegexpEngine();

const lines = Number(process.argv[2] ?? 1000);
const rule: LogRuleConfig = { type: 'temporary', reason: 'Stack', pattern: '(?s)(x+x+)+y', condition: undefined, patternGeneratedMessageSuffix: undefined };

interface Row { readonly window: string; readonly lineChars: number; readonly lines: number; readonly maxMs: number; readonly meanMs: number; readonly maxWindow: number; readonly heapMiB: number }

function run(label: string, cap: number, lineChars: number, count: number): Row {
  const m = createRuleMatcher([rule], 1000, { maxWindowChars: cap });
  const text = 'x'.repeat(lineChars);
  let maxMs = 0;
  let total = 0;
  let maxWindow = 0;
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    m.push({ time: new Date(0), message: text });
    const ms = performance.now() - t0;
    total += ms;
    maxMs = Math.max(maxMs, ms);
    maxWindow = Math.max(maxWindow, m.window().chars);
  }
  const heapMiB = process.memoryUsage().heapUsed / 2 ** 20;
  return { window: label, lineChars, lines: count, maxMs, meanMs: total / count, maxWindow, heapMiB };
}

/** Before the cap: the backtracking JIT over the whole joined window of `count` lines. */
function before(count: number, lineChars: number, pattern: string, line: string): Row {
  const regex = compileRe2(pattern, { anchorEnd: true }).regex;
  const text = Array.from({ length: count }, () => line).join('\n');
  const t0 = performance.now();
  regex.test(text);
  const ms = performance.now() - t0;
  return { window: `before: JIT on ${count} joined lines`, lineChars, lines: 1, maxMs: ms, meanMs: ms, maxWindow: text.length, heapMiB: process.memoryUsage().heapUsed / 2 ** 20 };
}

const hung = '.*blocked for more than \\d+ seconds';
const hostile = `${'x'.repeat(64 * 1024)} blocked for more than 5 minutes`;
const quadratic = (): Row => {
  const m = createRuleMatcher([{ ...rule, reason: 'Hung', pattern: hung }], 10);
  const t0 = performance.now();
  m.push({ time: new Date(0), message: hostile });
  const ms = performance.now() - t0;
  return { window: `${maxWindowChars} chars (default), ${hung}`, lineChars: hostile.length, lines: 1, maxMs: ms, meanMs: ms, maxWindow: m.window().chars, heapMiB: process.memoryUsage().heapUsed / 2 ** 20 };
};
const rows = [
  run(`${maxWindowChars} chars (default)`, maxWindowChars, 200_000, lines),
  run(`${maxWindowChars} chars (default)`, maxWindowChars, 1_000, lines),
  ...[1, 2, 5].map((n) => before(n, 200_000, rule.pattern, 'x'.repeat(200_000))),
  quadratic(),
  before(1, hostile.length, hung, hostile),
];
console.log('multi-line rule (?s)(x+x+)+y, bufferSize 1000, lines of x without a y; then a single-line .* rule on a 64 Ki-character line holding its key');
console.log('| window cap / engine | line chars | lines | slowest line ms | mean ms | window chars | heap MiB after |');
console.log('|---|---:|---:|---:|---:|---:|---:|');
for (const r of rows) console.log(`| ${r.window} | ${r.lineChars} | ${r.lines} | ${r.maxMs.toFixed(1)} | ${r.meanMs.toFixed(2)} | ${r.maxWindow} | ${r.heapMiB.toFixed(0)} |`);
