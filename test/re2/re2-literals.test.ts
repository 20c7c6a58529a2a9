// The analysis the line prefilter relies on: `literals` (substrings every match holds: a line without
// one is skipped unread, so a wrong literal silently loses problems), `lastLineLiterals`,
// `canSpanLines` and `anchorsStart`. Checked as tables, and for soundness on every shipped rule
// against every corpus line and window of lines.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileRe2 } from '../../src/re2/re2.js';
import { corpusDir } from '../helpers/fixtures.js';

describe('literals: the runs of text on the path every match takes', () => {
  test.each([
    ['plain text', 'Remounting filesystem read-only', ['Remounting filesystem read-only']],
    ['broken at each repeat', 'Killed process \\d+ (.+) total-vm:\\d+kB', ['Killed process ', ' ', ' total-vm:', 'kB']],
    ['classes of one character are text', 'divide error: 0000 \\[#\\d+\\][x]', ['divide error: 0000 [#', ']x']],
    ['a class of one character under (?i) that does not fold', '(?i)[1]2', ['12']],
    ['(?i) letters are no text', '(?i)disk: 42', [': 42']],
    ['anchors and word boundaries hold no text and break nothing', '^foo\\bbar\\B-$', ['foobar-']],
    ['\\A and \\z', '\\Afoo\\z', ['foo']],
    ['(?m)^ between lines keeps the run', '(?m)^err\\n^at ', ['err\nat ']],
    ['a one-alternative group is walked into', 'a(?:bc)(d)e', ['abcde']],
    ['a group of alternatives breaks the run', 'x(?:a|b)y', ['x', 'y']],
    ['{1} is the item itself', 'a{1}bc', ['abc']],
    ['{1,} and + keep what they repeat', '(?:ab){1,}c', ['ab', 'c']],
    ['{1,5} keeps what it repeats', 'x(?:ab){1,5}', ['x', 'ab']],
    ['{3} keeps what it repeats', 'a{3}', ['a']],
    ['a repeat inside a repeat', '(?:a+b)+c', ['a', 'b', 'c']],
    ['an optional item breaks the run', '(abc)?x', ['x']],
    ['{0,n} breaks the run', 'x(?:ab){0,5}y', ['x', 'y']],
    ['* breaks the run', 'ab*c', ['a', 'c']],
    ['a class breaks the run', 'ab[cd]e', ['ab', 'e']],
    ['\\Q…\\E is text', '\\Qa.b*\\E!', ['a.b*!']],
    ['a character outside the BMP', '\\x{1F600} ok', ['😀 ok']],
    ['a newline is text', 'a\\nb', ['a\nb']],
    ['each literal once', 'ab\\d+ab', ['ab']],
    ['top-level alternatives have none', 'foo|bar', []],
    ['an empty pattern has none', '', []],
  ])('%s: %s', (_name, pattern, literals) => {
    expect(compileRe2(pattern).literals).toEqual(literals);
  });
});

describe('lastLineLiterals: the literals after the last item that can match a newline', () => {
  test.each([
    ['no item matches a newline: all literals', 'task \\w+ blocked', ['task ', ' blocked']],
    ['after \\n', 'Kill process \\d+\\nKilled process \\d+', ['Killed process ']],
    ['after (?s).*', '(?s)begin.*end', ['end']],
    ['after a negated class', 'a[^x]+b', ['b']],
    ['after \\s', 'foo\\s+bar', ['bar']],
    ['after a group that holds \\n', 'a(?:b\\n)c', ['c']],
    ['after an optional newline', 'x\\n?y', ['y']],
    ['\\n{0} matches no newline', 'x(?:\\n){0}y', ['x', 'y']],
    ['\\S matches no newline', 'x\\S+y', ['x', 'y']],
    ['a newline last: none', 'abc\\n', []],
    ['top-level alternatives: none', 'a\\nb|c', []],
  ])('%s: %s', (_name, pattern, literals) => {
    expect(compileRe2(pattern).lastLineLiterals).toEqual(literals);
  });
});

describe('canSpanLines and anchorsStart', () => {
  test.each([
    ['.', false],
    ['(?s).', true],
    ['\\n', true],
    ['\\x{0a}', true],
    ['[\\n]', true],
    ['[^a]', true],
    ['\\D', true],
    ['\\s', true],
    ['\\S', false],
    ['[[:space:]]', true],
    ['(?:a|\\n)', true],
    ['(?:a|b)', false],
    ['\\n?', true],
    ['(?:\\n){0}', false],
    ['a\\z', false],
    ['(?m)^a', false],
  ])('%s: canSpanLines %s', (pattern, span) => {
    expect(compileRe2(pattern).canSpanLines).toBe(span);
  });

  test.each([
    ['^foo', true],
    ['\\Afoo', true],
    ['(?m)^foo', false],
    ['foo', false],
    ['foo$', false],
    ['a|^b', true],
    ['(?:^a|b)', true],
    ['(?:^a)*b', true],
    ['(?:(?m)^a)*b', false],
    ['\\bfoo', false],
  ])('%s: anchorsStart %s', (pattern, anchors) => {
    expect(compileRe2(pattern).anchorsStart).toBe(anchors);
  });
});

/** Every `pattern` string of the shipped monitor files. */
function shippedPatterns(): string[] {
  const dir = new URL('../../monitors/', import.meta.url).pathname;
  const out = new Set<string>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'pattern' && typeof x === 'string') out.add(x);
        else walk(x);
      }
    }
  };
  for (const f of readdirSync(dir)) if (f.endsWith('.json')) walk(JSON.parse(readFileSync(join(dir, f), 'utf8')));
  return [...out];
}

function corpusLines(): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else if (!e.name.endsWith('.md')) out.push(...readFileSync(join(d, e.name), 'utf8').split('\n'));
    }
  };
  walk(corpusDir);
  return out;
}

/** Rules that reach over lines: NPD's two-line OOM rule, and a few more. */
const multiLine = [
  'Kill process \\d+ (.+) score \\d+ or sacrifice child\\nKilled process \\d+ (.+) total-vm:\\d+kB, anon-rss:\\d+kB, file-rss:\\d+kB.*',
  '(?s)Call Trace:.*',
  '\\[Hardware Error\\]:[^!]*Killed process \\d+ \\(\\w+\\)',
  'blocked for more than \\d+ seconds\\.\\s+\\S+',
];

describe('soundness on the shipped rules and the corpus', () => {
  const patterns = [...shippedPatterns(), ...multiLine];
  const lines = corpusLines();

  test('there is something to check: rules, lines, and matches', () => {
    expect(patterns.length).toBeGreaterThan(30);
    expect(lines.length).toBeGreaterThan(500);
  });

  test('every match of a rule on a corpus line holds each of its literals', () => {
    let matches = 0;
    for (const p of patterns) {
      const { regex, literals } = compileRe2(p);
      for (const line of lines) {
        const m = regex.exec(line);
        if (!m) continue;
        matches++;
        for (const lit of literals) expect([p, m[0], m[0].includes(lit)]).toEqual([p, m[0], true]);
      }
    }
    expect(matches).toBeGreaterThan(50);
  });

  test('a rule that cannot span lines has its literals as lastLineLiterals', () => {
    for (const p of patterns) {
      const c = compileRe2(p);
      if (!c.canSpanLines) expect([p, c.lastLineLiterals]).toEqual([p, c.literals]);
    }
  });

  test('a rule anchored at the end of a window of lines has its lastLineLiterals in the newest line', () => {
    let matches = 0;
    for (const p of patterns) {
      const { regex, lastLineLiterals, canSpanLines } = compileRe2(p, { anchorEnd: true });
      if (!canSpanLines) continue;
      for (let i = 3; i < lines.length; i++) {
        const m = regex.exec(lines.slice(i - 3, i + 1).join('\n'));
        if (!m) continue;
        matches++;
        const newest = m[0].slice(m[0].lastIndexOf('\n') + 1);
        for (const lit of lastLineLiterals) expect([p, newest, newest.includes(lit)]).toEqual([p, newest, true]);
      }
    }
    expect(matches).toBeGreaterThan(5);
  });
});
