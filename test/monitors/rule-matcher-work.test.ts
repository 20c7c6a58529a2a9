/**
 * The work a line costs the matcher (rule-matcher.ts, "Speed"): one scan for all the rules' keys,
 * then only the patterns of rules whose key the line holds, and a multi-line rule's pattern only
 * when its newest-line key is in the line and its key somewhere in the window (after one run of
 * what can follow a newline in a match: a line that does not match it is matched alone, unjoined). Counted as regex
 * runs (calls of `RegExp.prototype.exec`, which `test` makes too), never timed.
 */
import { jest } from '@jest/globals';
import { createRuleMatcher } from '../../src/monitors/rule-matcher.js';
import type { LogRuleConfig } from '../../src/config/monitor-config.js';

const rule = (reason: string, pattern: string): LogRuleConfig => ({ type: 'temporary', reason, pattern, condition: undefined, patternGeneratedMessageSuffix: undefined });
const line = (message: string) => ({ time: new Date(0), message });

/** The regex runs `push(message)` makes, and the reasons it fires. */
function pushCounted(m: ReturnType<typeof createRuleMatcher>, message: string): { runs: number; fired: string[] } {
  const exec = jest.spyOn(RegExp.prototype, 'exec');
  try {
    const fired = m.push(line(message)).map((r) => r.rule.reason);
    return { runs: exec.mock.calls.length, fired };
  } finally {
    exec.mockRestore();
  }
}

test('single-line rules: a line with no key costs one scan; a line with one rule\'s key runs that rule alone', () => {
  const m = createRuleMatcher([rule('Hung', 'task \\S+ blocked for more than \\d+ seconds'), rule('Oops', 'Oops: \\d+'), rule('Xfs', 'XFS .* Shutting down')], 10);
  expect(pushCounted(m, 'systemd: Started session 4')).toEqual({ runs: 1, fired: [] });
  expect(pushCounted(m, 'task x blocked for more than 120 seconds')).toEqual({ runs: 2, fired: ['Hung'] });
  expect(pushCounted(m, 'x blocked for more than 5 minutes')).toEqual({ runs: 2, fired: [] });
  expect(pushCounted(m, 'Oops: 1 and XFS (sda) Shutting down')).toEqual({ runs: 3, fired: ['Xfs'] });
});

test('a rule without a key runs on every line; the keyed ones still only on theirs', () => {
  const m = createRuleMatcher([rule('Any', '(?i)oops'), rule('Hung', 'task blocked')], 10);
  expect(pushCounted(m, 'benign')).toEqual({ runs: 2, fired: [] });
  expect(pushCounted(m, 'OOPS')).toEqual({ runs: 2, fired: ['Any'] });
  expect(pushCounted(m, 'task blocked')).toEqual({ runs: 3, fired: ['Hung'] });
});

test('a multi-line rule: no run while the window lacks its key, one more scan for its newest-line key, what can follow a newline and its pattern only when both are there', () => {
  const m = createRuleMatcher([rule('Oom', 'Kill process \\d+\\nKilled process \\d+')], 10);
  // Its key is its longest literal, 'Killed process ', which is also its newest line's.
  expect(pushCounted(m, 'Kill process 1')).toEqual({ runs: 1, fired: [] });
  expect(pushCounted(m, 'benign')).toEqual({ runs: 1, fired: [] });
  expect(pushCounted(m, 'Killed process 1')).toEqual({ runs: 4, fired: [] });
  // The key is in the window now, not in this line: the two scans, no pattern.
  expect(pushCounted(m, 'Kill process 2')).toEqual({ runs: 2, fired: [] });
  expect(pushCounted(m, 'Killed process 2')).toEqual({ runs: 4, fired: ['Oom'] });
  // Not what can follow a newline in a match (`Killed process \d+` whole): the pattern on this line alone.
  expect(pushCounted(m, 'x Killed process 3')).toEqual({ runs: 4, fired: [] });
});

test('the window\'s count of lines with a key follows lines in and out; a line without the newest-line key or the key runs nothing more', () => {
  const m = createRuleMatcher([rule('AB', 'AAAAAA\\nBB')], 2);
  expect(pushCounted(m, 'AAAAAA')).toEqual({ runs: 2, fired: [] });
  // Not what follows a newline in a match, and without the key: no pattern run, on the line or the window.
  expect(pushCounted(m, 'xBB')).toEqual({ runs: 3, fired: [] });
  // The key's line has left the window: the one scan.
  expect(pushCounted(m, 'y')).toEqual({ runs: 1, fired: [] });
  expect(pushCounted(m, 'BB')).toEqual({ runs: 1, fired: [] });
});

test('two multi-line rules: each runs only with its own newest-line key in the line and its own key in the window', () => {
  const m = createRuleMatcher([rule('AB', 'AAAAAA\\nBB'), rule('CD', 'CCCCCC\\nDD')], 3);
  expect(pushCounted(m, 'AAAAAA')).toEqual({ runs: 2, fired: [] });
  // CD's newest-line key, not its key in the window: what follows a newline runs, its pattern does not; AB runs nothing.
  expect(pushCounted(m, 'DD')).toEqual({ runs: 3, fired: [] });
  // AB's own: its pattern runs on the window (DD lies between, so no match); CD runs nothing.
  expect(pushCounted(m, 'BB')).toEqual({ runs: 4, fired: [] });
});
