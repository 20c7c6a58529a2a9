// The translated pattern on both engines: the backtracking JIT (`regex`) and V8's linear-time engine
// (`linear`, used for texts longer than `jitMaxChars`) give the same answers, including on patterns
// that backtrack catastrophically and on the constructs V8's linear engine limits or gets wrong.
import { compileRe2, execPattern, jitMaxChars, matchEnd } from '../../src/re2/re2.js';
import { enableLinearRegexpEngine, linearEngineEnabled } from '../../src/re2/linear-engine.js';

describe('which engine runs a text', () => {
  // Two different regexes stand for the two engines: the answer says which one ran.
  const pair = { regex: /^a+$/, linear: /^b/ };

  test('execPattern: up to jitMaxChars on the JIT, longer on the linear engine', () => {
    expect(execPattern(pair, 'a'.repeat(jitMaxChars))?.[0]).toBe('a'.repeat(jitMaxChars));
    expect(execPattern(pair, 'a'.repeat(jitMaxChars + 1))).toBeNull();
    expect(execPattern(pair, `b${'a'.repeat(jitMaxChars)}`)?.[0]).toBe('b');
  });

  test('matchEnd: the same choice, and where the first match ends', () => {
    const end = matchEnd({ regex: /a+/, linear: /b+/ });
    expect(end('xxaaay')).toBe(5);
    expect(end('xxbby')).toBeUndefined();
    expect(end(`${'a'.repeat(jitMaxChars)}bb`)).toBe(jitMaxChars + 2);
    expect(end('a'.repeat(jitMaxChars))).toBe(jitMaxChars);
    expect(end('a'.repeat(jitMaxChars + 1))).toBeUndefined();
  });

  test('matchEnd starts each text from its beginning', () => {
    const end = matchEnd(compileRe2('\\d+'));
    expect(end('abc 12345')).toBe(9);
    expect(end('7')).toBe(1);
    expect(end('x 7')).toBe(3);
    expect(end(`${'x'.repeat(3000)} 1`)).toBe(3002);
    expect(end(`1${'x'.repeat(3000)}`)).toBe(1);
    expect(end('none')).toBeUndefined();
  });

  test('the linear engine is on in this process, and switching it on again changes nothing', () => {
    enableLinearRegexpEngine();
    expect(linearEngineEnabled()).toBe(true);
    expect(new RegExp('a+', 'l').test('xaa')).toBe(true);
  });
});

describe('both engines give the same matches', () => {
  const cases: [string, string[]][] = [
    ['Killed process (?P<pid>\\d+) \\((?P<comm>[^)]+)\\)', ['Killed process 42 (java) x', 'Killed process x (y)', '']],
    ['(?i)task (\\S+):(\\d+) blocked', ['INFO: TASK dockerd:1234 Blocked for', 'task a:b blocked']],
    ['^(?:a|ab)(?:c|bcd)(d*)$', ['abcd', 'abcdd', 'acd']],
    ['a{2,30}?b', ['aaaaab', 'ab']],
    ['(?U)a{2,30}b', ['aaaaab']],
    ['(x+x+)+y', ['xxxxxxxxxxy', 'xxxxxxxxxx']],
    ['(?m)^b', ['a\nb', 'ab', 'a\rb']],
    ['\\bfoo\\b', ['a foo.', 'afoo', 'éfooé']],
    ['\\Bo\\B', ['foo', 'o']],
    ['(?s)a.+z', ['a\nz', 'az']],
  ];
  test.each(cases)('%s', (pattern, texts) => {
    const c = compileRe2(pattern);
    for (const text of texts) {
      const a = c.regex.exec(text);
      const b = c.linear.exec(text);
      expect(b ? [...b] : null).toEqual(a ? [...a] : null);
      expect(b?.index).toBe(a?.index);
      expect(b?.groups).toEqual(a?.groups);
    }
  });

  test('a class with U+FFFF left out stays right on the linear engine (V8 gets [^…\\uffff] wrong)', () => {
    const letters = compileRe2('^\\pL+$');
    const long = `${'a'.repeat(jitMaxChars)}!`;
    expect(execPattern(letters, long)).toBeNull();
    expect(execPattern(letters, `${'é'.repeat(jitMaxChars)}ω`)).not.toBeNull();
    const notFfff = compileRe2('^[^!\\x{ffff}]+$');
    expect(execPattern(notFfff, long)).toBeNull();
    expect(execPattern(notFfff, 'b'.repeat(jitMaxChars + 1))).not.toBeNull();
  });
});

describe('nested repeats beyond what the linear engine takes are expanded, with the same meaning', () => {
  test.each([
    ['^(?:a{16}){16}$', 256, [255, 257]],
    ['^(?:a{9})+$', 27, [17, 26]],
    ['^(?:a{9}){2,}$', 27, [9, 17, 26]],
    ['^(?:(?:a{16}){2})*$', 64, [16, 33]],
    ['^(?:(?:a{4}){4}){2,}$', 48, [16, 47]],
    ['^(?:x{10,20}){2}$', 40, [19, 41]],
    ['^(a{2}){3,}$', 8, [5, 7]],
    ['^(?:a{4}){5,20}$', 44, [19, 22, 81]],
    ['^((((a+)+)+)+)+$', 5, [0]],
    ['^(?:(?:a{2}){2}){5}$', 20, [19, 21]],
  ])('%s matches %d characters, not %j', (pattern, yes, nos) => {
    const c = compileRe2(pattern);
    const text = (n: number): string => (pattern.includes('x') ? 'x' : 'a').repeat(n);
    for (const re of [c.regex, c.linear]) {
      expect(re.test(text(yes))).toBe(true);
      for (const n of nos) expect(re.test(text(n))).toBe(false);
    }
  });

  test('a capture in a repeat that stays a repeat is still a capture', () => {
    expect(compileRe2('^(a{16}){16}$').regex.exec('a'.repeat(256))?.[1]).toBe('a'.repeat(16));
    expect(compileRe2('(?P<x>b)(?:(?P<y>c){2})').regex.exec('abcc')?.groups).toEqual({ x: 'b', y: 'c' });
  });
});

describe('catastrophic patterns stay linear on a long text', () => {
  const text = 'a'.repeat(100_000);
  test.each([
    ['(a+)+$', `${text}!`, false],
    ['(a|aa)*b', text, false],
    ['^(a?){50}a{50}$', 'a'.repeat(50), true],
    ['.*x$', text, false],
    ['(a+)+$', text, true],
  ])('%s', (pattern, input, expected) => {
    const c = compileRe2(pattern);
    expect(execPattern(c, input) !== null).toBe(expected);
    expect(matchEnd(c)(input) !== undefined).toBe(expected);
  });
});

describe('the rendering keeps RE2 semantics', () => {
  test.each([
    ['dot takes \\r and the line separators', '^a.b$', ['a\rb', 'a\u2028b', 'a\u2029b', 'aéb'], ['a\nb', 'ab']],
    ['$ is the end of the text only, not before a final newline', 'a$', ['xa'], ['a\n']],
    ['^ is the start of the text only', '^a', ['ab'], ['b\na']],
    ['(?m)^ is after \\n, not after \\r', '(?m)^a', ['a', 'b\na'], ['b\ra', 'ba']],
    ['(?m) flags a group only', '(?m:^a)|^b', ['x\na', 'b'], ['x\nb']],
    ['\\b is an ASCII word boundary', '\\bx', ['éx', ' x'], ['_x', '1x']],
    ['special characters are literal when escaped', '^\\$\\^\\.\\|\\?\\*\\+\\(\\)\\[\\]\\{\\}\\/\\\\$', ['$^.|?*+()[]{}/\\'], ['x']],
    ['special characters in a class', '^[\\]\\-\\^\\\\[]+$', [']-^\\['], ['a']],
    ['a caret not first in a class is a member', '^[a^]+$', ['^a'], ['b']],
    ['a class of one special character is that character', '^[.][*][$][(][\\^]$', ['.*$(^'], ['xxxxx', '.*$(x']],
    ['\\B is where \\b is not', '\\Bo\\B', ['foo'], ['o', 'fo', 'o.']],
    ['control characters', '^\\x01\\x1f\\x7f\\t\\n\\r$', ['\x01\x1f\x7f\t\n\r'], ['']],
    ['non-ASCII characters', '^é\\x{100}ω\\x{ffff}$', ['é\u0100ω\uffff'], ['e\u0100ω\uffff']],
    ['a character outside the BMP repeats whole', '^😀+$', ['😀😀'], ['😀\ude00']],
    ['a class range of two characters', '^[a-b]+$', ['ab'], ['c']],
    ['a class of all but newline', '^[^\\n]+$', ['a\rb'], ['a\nb']],
    ['an empty class matches nothing', '^[^\\x00-\\x{ffff}]', [], ['', 'a', '\uffff']],
    ['(?i) on text', '(?i)^kelvin$', ['KELVIN', 'kelvin', '\u212aelvin'], ['kelvim']],
    ['(?-i) inside (?i)', '(?i)^a(?-i:b)c$', ['AbC'], ['ABC']],
    ['(?s) and (?-s)', '(?s)a.b(?-s).c', ['a\nbxc'], ['a\nb\nc']],
    ['(?U) swaps lazy back to greedy', '(?U)^(a+?)$', ['aaa'], []],
    ['{0} removes the item', '^ab{0}c$', ['ac'], ['abc']],
    ['{2,} has no upper bound', '^a{2,}$', ['aa', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'], ['a']],
    ['{17,} above the linear limit', '^a{17,}$', ['a'.repeat(17), 'a'.repeat(40)], ['a'.repeat(16)]],
    ['{0,17} above the linear limit', '^a{0,17}$', ['', 'a'.repeat(17)], ['a'.repeat(18)]],
    ['{16} at the linear limit', '^a{16}$', ['a'.repeat(16)], ['a'.repeat(15), 'a'.repeat(17)]],
  ])('%s: %s', (_name, pattern, yes, no) => {
    const c = compileRe2(pattern);
    for (const re of [c.regex, c.linear]) {
      for (const t of yes) expect([t, re.test(t)]).toEqual([t, true]);
      for (const t of no) expect([t, re.test(t)]).toEqual([t, false]);
    }
  });

  test('lazy and greedy take what RE2 takes', () => {
    expect(compileRe2('^(a+?)').regex.exec('aaa')?.[1]).toBe('a');
    expect(compileRe2('^(a{2,20}?)').regex.exec('a'.repeat(20))?.[1]).toBe('aa');
    expect(compileRe2('^(a{2,20})').regex.exec('a'.repeat(20))?.[1]).toBe('a'.repeat(20));
    expect(compileRe2('^(a{17,}?)').regex.exec('a'.repeat(30))?.[1]).toBe('a'.repeat(17));
    expect(compileRe2('(?U)^(a{2,20})').regex.exec('a'.repeat(20))?.[1]).toBe('aa');
    expect(compileRe2('(?U)^(a*?)b').regex.exec('aab')?.[1]).toBe('aa');
  });

  test('an anchored end holds for the whole pattern', () => {
    const c = compileRe2('a|b', { anchorEnd: true });
    expect(c.source).toBe('(?:a|b)$');
    expect(c.regex.test('ax')).toBe(false);
    expect(c.linear.test('xa')).toBe(true);
  });
});
