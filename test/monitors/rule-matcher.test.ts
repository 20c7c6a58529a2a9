/**
 * The window of a multi-line rule is bounded in characters as well as lines, so no input makes one
 * line's matching work grow with `bufferSize × line length` (NPD's joined 1,000 × 200 K characters).
 * Asserted on the window's size, never on time (bench/multiline-window.ts has the timings).
 */
import { createRuleMatcher, maxWindowChars } from '../../src/monitors/rule-matcher.js';
import type { LogRuleConfig } from '../../src/config/monitor-config.js';
import type { LogLine } from '../../src/sources/log-source.js';

const rule = (reason: string, pattern: string): LogRuleConfig => ({ type: 'temporary', reason, pattern, condition: undefined, patternGeneratedMessageSuffix: undefined });
let t = Date.parse('2026-01-01T00:00:00Z');
const line = (message: string): LogLine => ({ time: new Date((t += 1000)), message });
// A multi-line rule (it can match `\n`) with a catastrophic shape for a backtracking engine.
const multiLine = rule('Stack', '(?s)(x+x+)+y');

test('lines of 200 K characters with bufferSize 1000: the window is the newest line alone, every time', () => {
  const m = createRuleMatcher([multiLine], 1000);
  const long = 'x'.repeat(200_000);
  let most = 0;
  for (let i = 0; i < 40; i++) {
    expect(m.push(line(long))).toHaveLength(0);
    most = Math.max(most, m.window().chars);
  }
  expect(m.window()).toEqual({ lines: 1, chars: 200_001 });
  expect(most).toBe(200_001);
});

test('short lines fill the window up to bufferSize, long ones up to the character cap', () => {
  const m = createRuleMatcher([multiLine], 1000);
  for (let i = 0; i < 2000; i++) m.push(line('a'.repeat(9)));
  expect(m.window()).toEqual({ lines: 1000, chars: 10_000 });
  for (let i = 0; i < 2000; i++) m.push(line('b'.repeat(1023)));
  expect(m.window()).toEqual({ lines: maxWindowChars / 1024, chars: maxWindowChars });
  for (let i = 0; i < 10; i++) m.push(line('c'.repeat(1024)));
  expect(m.window().chars).toBeLessThanOrEqual(maxWindowChars);
});

test.each([
  ['within the cap: the rule sees the start line', 20, ['Stack']],
  ['beyond the cap: the start line has left the window', 80, []],
])('a multi-line match %s', (_name, fillers, fired) => {
  const m = createRuleMatcher([rule('Stack', 'BEGIN\\n(?:[^\\n]*\\n)*END')], 1000, { maxWindowChars: 64 * 1024 });
  m.push(line('BEGIN'));
  for (let i = 0; i < fillers; i++) m.push(line('f'.repeat(1023)));
  expect(m.push(line('END')).map((r) => r.rule.reason)).toEqual(fired);
});

test('single-line rules still see a line longer than the cap', () => {
  const m = createRuleMatcher([rule('Long', 'x{16}y')], 10, { maxWindowChars: 100 });
  expect(m.push(line(`${'x'.repeat(100_000)}y`)).map((r) => r.rule.reason)).toEqual(['Long']);
});

test.each([
  ['a leading .* (quadratic on the backtracking JIT, which never falls back)', '.*blocked for more than \\d+ seconds', `${'x'.repeat(256 * 1024)} blocked for more than 5 minutes`, []],
  ['the same pattern matching at the end of a long line', '.*blocked for more than \\d+ seconds', `${'x'.repeat(256 * 1024)} blocked for more than 120 seconds`, ['Hung']],
  ['a greedy group between literals, repeated', 'Killed process \\d+ (.+) total-vm:\\d+kB', 'Killed process 1 '.repeat(15_000), []],
])('a 256 K-character hostile line: %s', (_name, pattern, text, fired) => {
  // On the JIT alone the first case takes minutes (bench/multiline-window.ts); here it ends.
  const m = createRuleMatcher([rule('Hung', pattern)], 10);
  expect(m.push(line(text)).map((r) => r.rule.reason)).toEqual(fired);
}, 30_000);

test('a match found in the tail of a long multi-line window names its lines', () => {
  const m = createRuleMatcher([rule('Pair', 'first\\nsecond')], 1000, { maxWindowChars: 4096 });
  for (let i = 0; i < 10; i++) m.push(line('z'.repeat(1000)));
  m.push(line('first'));
  const r = m.push(line('second'));
  expect(r.map((x) => x.lines.map((l) => l.message))).toEqual([['first', 'second']]);
});
