/**
 * What may follow a newline inside a match (src/re2/re2-tail.ts): whenever a pattern, anchored at
 * the end of a window of lines, matches from a point before the newest line, the newest line matches
 * `afterNewline` — checked by brute force over random windows made of the pattern's own pieces, for
 * patterns with every kind of item that can hold a newline. A line it rejects is one the prefilter
 * hands on without the lines before it.
 */
import { compileRe2 } from '../../src/re2/re2.js';
import { prng } from '../helpers/rule-outcomes.js';

/** Patterns, and what their windows are made of (besides blanks, `#` and newlines). */
const CASES: [string, string[]][] = [
  ['task [^ ]+ blocked for more than [0-9]+ seconds\\.', ['task ', 'kworker/1:2', ' blocked for more than 120 seconds.', 'INFO: task kworker', '120']],
  ['a[^#]*b', ['a', 'b']],
  ['a\\s*b{2,3}', ['a', 'b', 'bb']],
  ['(?:a\\n|b)+x', ['a', 'b', 'x']],
  ['(?s)a.{1,3}b', ['a', 'b', 'x']],
  ['x(?:[^ ]+ )+y', ['x', 'y', 'ab']],
  ['a|b\\nc', ['a', 'b', 'c']],
  ['(a\\n?){2}b', ['a', 'b']],
  ['\\bab\\s\\bb\\b', ['ab', 'b', 'x']],
  ['(?m)^a\\s+b', ['a', 'b']],
  ['(?i)A[^x]{0,20}B', ['a', 'B', 'x']],
  ['a(?:\\n|#)*$', ['a', 'b']],
  ['(?:(?:a\\s)|(?:b\\S))+c', ['a', 'b', 'c']],
  ['a\\D*b', ['a', 'b', '0']],
  ['(?:a\\sx|b\\sy)z', ['a', 'b', 'x', 'y', 'z', 'xz', 'yz']],
];

test.each(CASES)('%s: every newest line of a match from an earlier line matches afterNewline', (pattern, words) => {
  const c = compileRe2(pattern, { anchorEnd: true });
  const tail = c.afterNewline;
  expect(c.canSpanLines).toBe(true);
  expect(tail).toBeDefined();
  if (!tail) return;
  const pieces = [...words, ' ', '#', '\n'];
  const rand = prng(pattern.length);
  const word = (most: number): string => Array.from({ length: Math.floor(rand() * (most + 1)) }, () => pieces[Math.floor(rand() * pieces.length)]).join('');
  let spanning = 0;
  let rejected = 0;
  for (let i = 0; i < 5_000; i++) {
    const newest = word(4).replace(/\n/g, '');
    const text = `${word(4)}\n${newest}`;
    const m = c.regex.exec(text);
    if (m && m.index < text.length - newest.length) {
      spanning++;
      expect([text, tail.regex.test(newest)]).toEqual([text, true]);
    }
    if (!tail.regex.test(newest)) rejected++;
  }
  // Matches over lines were tried, and lines were rejected (the test can tell a tail that accepts all).
  expect([spanning > 10, rejected > 10]).toEqual([true, true]);
});

test.each(['Killed process [0-9]+ \\(.+\\)', 'BUG: kernel NULL pointer dereference.*', '[^\\n]+x'])('%s: no match holds a newline, no afterNewline', (pattern) => {
  expect(compileRe2(pattern, { anchorEnd: true }).afterNewline).toBeUndefined();
});
