/**
 * The matcher's one key scan (`anyOf`, common prefixes factored out), the longest literal as a rule's
 * key, which lines need their context lines (`needsContext`), and the cap on the text a regex sees.
 */
import { anyOf, createRuleMatcher } from '../../src/monitors/rule-matcher.js';
import type { LogRuleConfig } from '../../src/config/monitor-config.js';
import type { LogLine } from '../../src/sources/log-source.js';

const rule = (reason: string, pattern: string): LogRuleConfig => ({ type: 'temporary', reason, pattern, condition: undefined, patternGeneratedMessageSuffix: undefined });
const line = (message: string): LogLine => ({ time: new Date(0), message });

test.each<[string[], string]>([
  [['abc'], 'abc'],
  [['BUG: soft lockup', 'BUG: kernel NULL'], 'BUG: (?:soft lockup|kernel NULL)'],
  [['abcd', 'abce', 'abx'], 'ab(?:c(?:d|e)|x)'],
  [['ab', 'ac'], 'a(?:b|c)'],
  // A word that starts another is enough for a substring test: the longer one is dropped.
  [['ab', 'abc'], 'ab'],
  [['xa', 'xa'], 'xa'],
  [['a.b', 'x'], 'a\\.b|x'],
  [['', 'abc'], ''],
])('anyOf(%j) is %s', (words, source) => {
  expect(anyOf(words)).toBe(source);
});

test('which lines need their context: those that can end a match starting in an earlier line', () => {
  const oom = createRuleMatcher([rule('One', 'abc'), rule('Oom', 'Kill process \\d+\\nKilled process \\d+')], 5);
  expect(['Killed process 12', 'x Killed process 12', 'abc', 'benign'].map((m) => oom.needsContext(m))).toEqual([true, false, false, false]);
  // A rule anchored at the window's start reads the whole window: every line needs it.
  expect(createRuleMatcher([rule('Boot', '^boot')], 5).needsContext('benign')).toBe(true);
  // Single-line rules never do.
  expect(createRuleMatcher([rule('One', 'abc'), rule('Two', 'x\\d')], 5).needsContext('abc')).toBe(false);
});

test('a regex sees only the last maxWindowChars characters of a long line', () => {
  const m = createRuleMatcher([rule('R', 'start.*end')], 10, { maxWindowChars: 20 });
  expect(m.push(line(`start${'x'.repeat(30)}end`))).toEqual([]);
  expect(m.push(line(`${'x'.repeat(30)}start end`)).map((r) => r.rule.reason)).toEqual(['R']);
  expect(m.push(line(`${'x'.repeat(30)}start`))).toEqual([]);
});
