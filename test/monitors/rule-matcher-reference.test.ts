/**
 * The rule matcher (src/monitors/rule-matcher.ts) against NPD's window semantics done the plain way:
 * join the last `bufferSize` lines with `\n`, run each rule anchored at the end, the lines from the
 * one holding the match's start. Random short lines and random rules that reach over lines (some
 * whose newest line can be told not to end a match from an earlier line, some anchored), so every
 * shortcut of the matcher (newest line alone, required literals, no join) is checked against it.
 */
import type { LogRuleConfig } from '../../src/config/monitor-config.js';
import { createRuleMatcher } from '../../src/monitors/rule-matcher.js';
import { compileRe2 } from '../../src/re2/re2.js';
import type { LogLine } from '../../src/sources/log-source.js';
import { prng } from '../helpers/rule-outcomes.js';

const WORDS = ['a', 'b', 'ab', 'x', 'y', ' ', ' ', '#', 'task', 'blocked', '1', 'é'];
const SHAPES = ['a[^#]*b', 'a\\s*b', 'task [^ ]+ blocked', 'a\\n.*b', '(?s)a.{0,6}b', 'x(?:\\S+ )+y', '(?m)^a\\s+b', '^a[^#]*b', '^a\\s*b', '\\ba\\s\\bb', 'a|b\\nx', 'ab', 'x[^#]*', '(?i)A\\s*B'];

const compiled = new Map<string, RegExp>();
const regexOf = (pattern: string): RegExp => compiled.get(pattern) ?? (compiled.set(pattern, compileRe2(pattern, { anchorEnd: true }).regex).get(pattern) as RegExp);

/** What the plain way finds for the newest line: `ruleIndex:first line's number` per matching rule. */
function reference(rules: readonly LogRuleConfig[], window: readonly { n: number; message: string }[]): string[] {
  const joined = window.map((l) => l.message).join('\n');
  const out: string[] = [];
  rules.forEach((r, i) => {
    const m = regexOf(r.pattern).exec(joined);
    if (!m) return;
    let first = window.length - 1;
    let start = joined.length - (window.at(-1)?.message.length ?? 0);
    while (first > 0 && start > m.index) start -= (window[--first]?.message.length ?? 0) + 1;
    out.push(`${i}:${window[first]?.n}`);
  });
  return out;
}

test('random windows: the same rules fire, over the same lines, as the plain join finds', () => {
  let fired = 0;
  let spanned = 0;
  for (let seed = 1; seed <= 40; seed++) {
    const rand = prng(seed);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
    const rules: LogRuleConfig[] = Array.from({ length: 1 + Math.floor(rand() * 3) }, (_, i) => ({ type: 'temporary', reason: `R${i}`, pattern: pick(SHAPES), condition: undefined, patternGeneratedMessageSuffix: undefined }));
    const bufferSize = 1 + Math.floor(rand() * 5);
    const matcher = createRuleMatcher(rules, bufferSize);
    const numbers = new Map<LogLine, number>();
    const window: { n: number; message: string }[] = [];
    for (let n = 0; n < 300; n++) {
      const line: LogLine = { time: new Date(0), message: Array.from({ length: Math.floor(rand() * 6) }, () => pick(WORDS)).join('') };
      numbers.set(line, n);
      window.push({ n, message: line.message });
      if (window.length > bufferSize) window.shift();
      const got = matcher.push(line).map((m) => `${m.ruleIndex}:${numbers.get(m.lines[0] as LogLine)}`);
      const want = reference(rules, window);
      expect([seed, rules.map((r) => r.pattern), n, got]).toEqual([seed, rules.map((r) => r.pattern), n, want]);
      fired += want.length;
      spanned += want.filter((w) => !w.endsWith(`:${n}`)).length;
    }
  }
  // Rules fired, and some over more than the newest line.
  expect([fired > 200, spanned > 50]).toEqual([true, true]);
});
