/** What a rule matcher asks of a source's prefilter (line-prefilter.ts): the literals one of which a line must hold, and the lines of context. */
import { createRuleMatcher } from '../../src/monitors/rule-matcher.js';
import type { LogRuleConfig } from '../../src/config/monitor-config.js';
import type { LogLine } from '../../src/sources/log-source.js';

const rule = (reason: string, pattern: string): LogRuleConfig => ({ type: 'temporary', reason, pattern, condition: undefined, patternGeneratedMessageSuffix: undefined });
const line = (message: string): LogLine => ({ time: new Date(0), message });

describe('the literals and context a source prefilters lines by', () => {
  test.each<[string, string[], string[] | undefined, number]>([
    ['leading blanks and punctuation trimmed from the key', ['\\w+: neighbor table overflow!'], ['neighbor table overflow!'], 0],
    ['a multi-line rule: the longest literal of its newest line, and bufferSize − 1 lines of context', ['Kill process \\d+ (.+) score \\d+ or sacrifice child\\nKilled process \\d+ (.+) total-vm'], ['Killed process '], 4],
    ['a literal split at its line break: the newest line holds only the part after it', ['a\\nb'], ['b'], 4],
    ['a rule anchored at the window start reads the window', ['^boot'], ['boot'], 4],
    ['two rules with one key give it once', ['abc', 'abc'], ['abc'], 0],
    ['a rule without a literal: every line may count', ['(?i)oops', 'abc'], undefined, 0],
    ['blanks and punctuation alone are no key: every line may count', ['\\d+: \\d+'], undefined, 0],
    ['of two literals as long, the first is the key', ['abc\\d+xyz'], ['abc'], 0],
    ['the longest part wins over a shorter one before a line break', ['x: (?s).*\\n: short'], ['short'], 4],
  ])('%s', (_name, patterns, literals, context) => {
    const m = createRuleMatcher(patterns.map((p) => rule('R', p)), 5);
    expect(m.literals).toEqual(literals);
    expect(m.context).toBe(context);
  });

  test('bufferSize 0 is a window of one line', () => {
    const m = createRuleMatcher([rule('Pair', 'a\\nb'), rule('One', 'b')], 0);
    expect(m.context).toBe(0);
    m.push(line('a'));
    expect(m.push(line('b')).map((r) => r.rule.reason)).toEqual(['One']);
    expect(m.window()).toEqual({ lines: 1, chars: 2 });
  });
});
