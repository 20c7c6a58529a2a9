import { spawnSync } from 'node:child_process';
import { compileRe2 } from '../../src/re2/re2.js';
import { node, repoRoot, requireBuild } from '../helpers/cli.js';

describe('compileRe2: RE2 syntax', () => {
  test.each([
    ['(?i) applies to the rest', '(?i)task hung', 'TASK Hung', true],
    ['(?i:…) is scoped', '(?i:task) hung', 'TASK hung', true],
    ['(?i:…) is scoped, outside stays case-sensitive', '(?i:task) hung', 'TASK HUNG', false],
    ['(?i) folds inside classes', '(?i)[a-c]+x', 'ABCx', true],
    ['(?i) folds negated classes before negating', '(?i)^[^a]$', 'A', false],
    ['(?-i) turns it off', '(?i)a(?-i)b', 'Ab', true],
    ['(?-i) turns it off (mismatch)', '(?i)a(?-i)b', 'AB', false],
    ['dot excludes newline', 'a.b', 'a\nb', false],
    ['dot matches \\r (RE2, unlike JS)', 'a.b', 'a\rb', true],
    ['(?s) dot matches newline', '(?s)a.b', 'a\nb', true],
    ['\\z is end of text', 'foo\\z', 'foo\n', false],
    ['\\A is start of text', '\\Afoo', 'xfoo', false],
    ['(?m)^ matches after a newline', '(?m)^foo', 'x\nfoo', true],
    ['^ without (?m) is start of text only', '^foo', 'x\nfoo', false],
    ['(?P<name>…) is a named group', '(?P<pid>\\d+)', 'pid 42', true],
    ['\\Q…\\E is literal', '\\Qa.b*\\E', 'a.b*', true],
    ['\\Q…\\E is literal (mismatch)', '\\Qa.b*\\E', 'axbb', false],
    ['POSIX classes', '[[:digit:]]+[[:^alpha:]]', '12!', true],
    ['\\pL', '^\\pL+$', 'héllo', true],
    ['\\p{Greek}', '^\\p{Greek}+$', 'αβγ', true],
    ['\\PL', '^\\PL$', 'a', false],
    ['\\s is RE2 ASCII space (no \\v)', '^\\s$', '\v', false],
    ['\\x{…}', '\\x{41}\\x42', 'AB', true],
    ['octal escape', '\\101', 'A', true],
    ['{ that is not a repeat is literal', 'a{,5}', 'a{,5}', true],
    ['lazy quantifiers', '^a+?b', 'aab', true],
    ['(?U) swaps greediness', '(?U)^(a+)', 'aaa', true],
    ['/ needs no escape', 'a/b', 'a/b', true],
  ])('%s: %s on %j → %s', (_name, pattern, text, expected) => {
    expect(compileRe2(pattern).regex.test(text)).toBe(expected);
  });

  test.each([
    ['a{0,30}', 'a'.repeat(30), true],
    ['^a{0,30}$', 'a'.repeat(31), false],
    ['^a{20}$', 'a'.repeat(20), true],
    ['^a{20}$', 'a'.repeat(19), false],
    ['^(?:ab){17,40}$', 'ab'.repeat(40), true],
    ['^(?:ab){17,40}$', 'ab'.repeat(16), false],
    ['^(?P<d>\\d){3,20}x$', '1234x', true],
    ['^\\d{1,1000}$', '9'.repeat(1000), true],
  ])('bounded repeats above the linear engine\'s limit are expanded: %s on %j → %s', (pattern, text, expected) => {
    expect(compileRe2(pattern).regex.test(text)).toBe(expected);
  });

  test('an expanded lazy repeat stays lazy', () => {
    expect(compileRe2('^(a{2,30}?)').regex.exec('a'.repeat(30))?.[1]).toBe('aa');
  });

  test('(?U) makes + lazy', () => {
    expect(compileRe2('(?U)(a+)').regex.exec('aaa')?.[1]).toBe('a');
  });

  test('(?P<name>…) is readable by name', () => {
    expect(compileRe2('Killed process (?P<pid>\\d+)').regex.exec('Killed process 77 (x)')?.groups?.pid).toBe('77');
  });

  test('anchorEnd makes the match end at end of text, even with top-level alternation', () => {
    const { regex } = compileRe2('foo|bar', { anchorEnd: true });
    expect(regex.test('foo\nzzz')).toBe(false);
    expect(regex.test('zzz\nfoo')).toBe(true);
  });
});

describe('compileRe2: analysis', () => {
  test.each([
    ['Killed process \\d+ (.+) total-vm:\\d+kB', false, false],
    ['Kill process \\d+ or sacrifice child\\nKilled process', true, false],
    ['(?s)a.*b', true, false],
    ['[^a]+', true, false],
    ['\\s+', true, false],
    ['^foo', false, true],
    ['(?m)^foo', false, false],
  ])('%s: canSpanLines %s, anchorsStart %s', (pattern, span, anchors) => {
    const c = compileRe2(pattern);
    expect(c.canSpanLines).toBe(span);
    expect(c.anchorsStart).toBe(anchors);
  });

  test.each([
    ['task [\\S ]+:\\w+ blocked for more than \\w+ seconds\\.', ['task ', ':', ' blocked for more than ', ' seconds.']],
    ['XFS .* Shutting down filesystem.?', ['XFS ', ' Shutting down filesystem']],
    ['(?i)error: disk', [': ']],
    ['a|b', []],
    ['(?:abc)+x', ['abc', 'x']],
    ['(abc)?x', ['x']],
  ])('literals of %s', (pattern, literals) => {
    expect(compileRe2(pattern).literals).toEqual(literals);
  });
});

describe('compileRe2: no catastrophic backtracking', () => {
  const line = 'a'.repeat(100_000);
  test.each([
    ['(a+)+$', 'a…a!', false, `${line}!`],
    ['(a|a)*b', 'a…a', false, line],
    ['(a*)*c', 'a…a', false, line],
    ['(.*a){12}x', 'a…a', false, line],
    ['(a+)+$', 'a…a', true, line],
  ])('%s on a 100 KB line %s → %s', (pattern, _label, expected, text) => {
    expect(compileRe2(pattern).regex.test(text)).toBe(expected);
  });
});

describe('the linear-time engine is switched on by the entry point, not by importing re2.ts', () => {
  // A fresh node without flags: importing the translator must not change V8's flags.
  const run = (body: string): { stdout: string; stderr: string } => {
    requireBuild();
    const r = spawnSync(node, ['--input-type=module', '-e', body], { cwd: repoRoot, encoding: 'utf8' });
    return { stdout: r.stdout, stderr: r.stderr };
  };

  test('importing re2.js leaves the l flag off, and compiling says why it refuses', () => {
    const r = run(`
      const { compileRe2 } = await import('./dist/src/re2/re2.js');
      let flag = 'on'; try { new RegExp('', 'l'); } catch { flag = 'off'; }
      try { compileRe2('a+b'); console.log(flag, 'compiled'); } catch (e) { console.log(flag, e.message); }`);
    expect(r.stdout).toBe("off V8's linear-time regexp engine is off: call enableLinearRegexpEngine() before compiling patterns\n");
  });

  test('after enableLinearRegexpEngine() patterns compile', () => {
    const r = run(`
      const { enableLinearRegexpEngine } = await import('./dist/src/re2/linear-engine.js');
      const { compileRe2 } = await import('./dist/src/re2/re2.js');
      enableLinearRegexpEngine();
      console.log(compileRe2('a+b').regex.test('xaab'));`);
    expect(r.stdout).toBe('true\n');
  });
});
