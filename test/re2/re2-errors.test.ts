// Every construct the translator refuses, with the exact message a user sees (the monitor loader puts
// it after the file and field): what is wrong, where, and the pattern.
import { Re2Error, Re2SyntaxError } from '../../src/core/errors.js';
import { compileRe2, MAX_PATTERN_LENGTH } from '../../src/re2/re2.js';
import { MAX_NESTING } from '../../src/re2/re2-parse.js';

const problemOf = (pattern: string): string => {
  try {
    compileRe2(pattern);
  } catch (e) {
    if (e instanceof Re2Error) return e.problem;
    throw e;
  }
  return 'compiled';
};

describe('rejected RE2 syntax names the fault and its offset', () => {
  test.each([
    ['a lone backslash', 'a\\', 'unexpected end of pattern at offset 2'],
    ['\\p at the end', '\\p', 'unexpected end of pattern at offset 2'],
    ['\\x without digits', '\\x', 'invalid hex escape \\x at offset 0'],
    ['\\x with one digit', 'a\\x4', 'invalid hex escape \\x4 at offset 1'],
    ['\\x with a non-hex digit', '\\xg1', 'invalid hex escape \\xg1 at offset 0'],
    ['\\x{} empty', '\\x{}', 'invalid hex escape \\x{} at offset 0'],
    ['\\x{…} not hex', 'ab\\x{4g}', 'invalid hex escape \\x{4g} at offset 2'],
    ['\\x{…} past U+10FFFF', '\\x{110000}', 'hex escape out of range: \\x{110000} at offset 0'],
    ['\\x{ unclosed', '\\x{41', 'missing } in \\x{…} at offset 0'],
    ['\\p{ unclosed', 'a\\p{L', 'missing } in \\p{…} at offset 1'],
    ['an unknown Unicode class', '\\p{Klingon}', 'unknown Unicode class \\p{Klingon} at offset 0'],
    ['an unknown negated Unicode class', 'x\\P{^Klingon}', 'unknown Unicode class \\P{Klingon} at offset 1'],
    ['an unknown one-letter Unicode class', '\\pX', 'unknown Unicode class \\p{X} at offset 0'],
    ['a backreference', '(a)\\1', 'backreferences are not supported in RE2: \\1 at offset 3'],
    ['\\8', '\\8', 'backreferences are not supported in RE2: \\8 at offset 0'],
    ['\\9', 'a\\9', 'backreferences are not supported in RE2: \\9 at offset 1'],
    ['an unknown letter escape', 'a\\e', 'invalid escape sequence \\e at offset 1'],
    ['an escaped non-ASCII character', '\\é', 'invalid escape sequence \\é at offset 0'],
    ['\\C', 'a\\C', '\\C (any byte) is not supported at offset 1'],
    ['\\Z', 'a\\Z', '\\Z is not RE2 syntax; use \\z at offset 1'],
    ['an unclosed class', 'x[a', 'missing closing ] of character class at offset 1'],
    ['an unclosed class ending in a range dash', '[a-', 'missing closing ] of character class at offset 0'],
    ['[] (a ] first is a member)', '[]', 'missing closing ] of character class at offset 0'],
    ['[^] unclosed', '[^]', 'missing closing ] of character class at offset 0'],
    ['an unknown POSIX class', 'a[[:foo:]]', 'unknown POSIX class [:foo:] at offset 2'],
    ['an unknown negated POSIX class', '[[:^foo:]]', 'unknown POSIX class [:foo:] at offset 1'],
    ['a range ending in a class', '[a-\\d]', 'bad character class range at offset 1'],
    ['a reversed range', '[xz-a]', 'invalid character class range z-a at offset 2'],
    ['a reversed range of escapes', '[\\x42-\\x41]', 'invalid character class range \\x42-\\x41 at offset 1'],
    ['a character outside the BMP in a class', '[\\x{1F600}]', 'characters outside the BMP are not supported inside a character class at offset 1'],
    ['a range reaching outside the BMP', '[a-\\x{10000}]', 'characters outside the BMP are not supported inside a character class at offset 1'],
    ['a repeat over 1000', 'a{1001}', 'invalid repeat count {1001} at offset 1'],
    ['a maximum over 1000', 'a{0,1001}', 'invalid repeat count {0,1001} at offset 1'],
    ['a huge repeat', 'a{1000000000000}', 'invalid repeat count {1000000000000} at offset 1'],
    ['a minimum over 1000 without maximum', 'a{1001,}', 'invalid repeat count {1001,} at offset 1'],
    ['a maximum below the minimum', 'a{2,1}', 'invalid repeat count {2,1} at offset 1'],
    ['an unclosed group', 'x(a', 'missing closing ) at offset 3'],
    ['an unclosed flag group', '(?i', 'missing closing ) at offset 0'],
    ['a stray )', 'ab)', 'unexpected ) at offset 2'],
    ['lookahead', 'a(?=b)', 'invalid or unsupported group syntax (?= at offset 1'],
    ['negative lookbehind', '(?<!a)b', 'invalid or unsupported group syntax (?< at offset 0'],
    ['a named backreference', '(?P=n)', 'invalid or unsupported group syntax (?P at offset 0'],
    ['an empty group name', '(?P<>x)', 'invalid or unsupported group syntax (?P at offset 0'],
    ['an invalid group name', '(?P<a-b>x)', 'invalid or unsupported group syntax (?P at offset 0'],
    ['(?) without flags', '(?)', 'invalid or unsupported group syntax (?) at offset 0'],
    ['an unknown flag', '(?x)a', 'invalid or unsupported group syntax (?x at offset 0'],
    ['a - without a flag after it', '(?i-)a', 'invalid or unsupported group syntax (?i-) at offset 0'],
    ['(?-) alone', '(?-)a', 'invalid or unsupported group syntax (?-) at offset 0'],
    ['(?i-:…) without a flag after -', '(?i-:a)', 'invalid or unsupported group syntax (?i-: at offset 0'],
    ['two - in flags', '(?-i-s)', 'invalid or unsupported group syntax (?-i- at offset 0'],
    ['a duplicate group name', '(?P<a>x)(?P<a>y)', 'duplicate capture group name a at offset 8'],
    ['a duplicate group name in another alternative', '(?P<a>x)|(?<a>y)', 'duplicate capture group name a at offset 9'],
    ['* with nothing before', '*a', 'missing argument to repetition operator * at offset 0'],
    ['+ after |', 'a|+', 'missing argument to repetition operator + at offset 2'],
    ['? after (', '(?:?)', 'missing argument to repetition operator ? at offset 3'],
    ['{n} with nothing before', '{2}', 'missing argument to repetition operator {2} at offset 0'],
    ['**', 'a**', 'invalid nested repetition operator * at offset 2'],
    ['+* ', 'a+*', 'invalid nested repetition operator * at offset 2'],
    ['a repeat of a repeat', 'x{2}{3}', 'invalid nested repetition operator {3} at offset 4'],
    ['*?? (lazy, then ?)', 'a*??', 'invalid nested repetition operator ? at offset 3'],
  ])('%s: %s', (_name, pattern, problem) => {
    expect(problemOf(pattern)).toBe(problem);
  });

  test('the message names the problem and the pattern, with the code of a config error', () => {
    let err: unknown;
    try {
      compileRe2('task (\\d+');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(Re2Error);
    expect((err as Re2Error).message).toBe('missing closing ) at offset 9 in pattern "task (\\\\d+"');
    expect((err as Re2Error).pattern).toBe('task (\\d+');
    expect((err as Re2Error).code).toBe('ERR_MONITOR_CONFIG');
    expect((err as Re2Error).cause).toBeInstanceOf(Re2SyntaxError);
    expect(((err as Re2Error).cause as Re2SyntaxError).offset).toBe(9);
  });
});

describe('the limits on a pattern', () => {
  test.each([
    ['100,000 nested groups (a stack overflow before)', `${'('.repeat(100_000)}a${')'.repeat(100_000)}`, `pattern is 200001 characters long, at most ${MAX_PATTERN_LENGTH}`],
    ['1,001 nested groups', `${'('.repeat(MAX_NESTING + 1)}a${')'.repeat(MAX_NESTING + 1)}`, `groups nested deeper than ${MAX_NESTING} at offset ${MAX_NESTING}`],
    ['1,001 nested non-capturing groups', `${'(?:'.repeat(MAX_NESTING + 1)}a${')'.repeat(MAX_NESTING + 1)}`, `groups nested deeper than ${MAX_NESTING} at offset ${3 * MAX_NESTING}`],
    ['a 2 MB pattern', 'x'.repeat(2_000_000), `pattern is 2000000 characters long, at most ${MAX_PATTERN_LENGTH}`],
    ['Unicode classes that render past the source limit', '\\pL'.repeat(30), 'expands to more than 100000 characters'],
  ])('limits: %s', (_name, pattern, problem) => {
    expect(problemOf(pattern)).toBe(problem);
  });
  test('a pattern may expand to 100,000 characters of JavaScript, not one more', () => {
    // Rendered as (?:…): 99 × 1,000 a's, then the b's.
    const pattern = (bs: number): string => `${'a{1000}'.repeat(99)}${'b'.repeat(bs)}`;
    expect(compileRe2(pattern(996)).source).toHaveLength(100_000);
    expect(problemOf(pattern(997))).toBe('expands to more than 100000 characters');
  });

  test('a deep nesting of long repeats is refused without building it', () => {
    expect(problemOf('(?:(?:(?:(?:a{1000}){1000}){1000}){1000})')).toBe('repeat {1000} expands to more than 100000 characters');
  });

  test.each([
    ['1,000 nested groups', `${'('.repeat(MAX_NESTING)}a${')'.repeat(MAX_NESTING)}`, 'a'],
    ['a pattern of the longest length', 'x'.repeat(MAX_PATTERN_LENGTH), 'x'.repeat(MAX_PATTERN_LENGTH)],
  ])('limits: %s still compile and match', (_name, pattern, line) => {
    expect(compileRe2(pattern).regex.test(line)).toBe(true);
  });
});

describe('what V8 cannot run in linear time is refused with the reason', () => {
  test.each([
    ['$ under (?m)', '(?m)foo$', '`$` under (?m) is not supported (V8 has no linear-time lookahead); match `\\n` instead'],
    ['$ under (?m) in a group', 'a(?m:b$)', '`$` under (?m) is not supported (V8 has no linear-time lookahead); match `\\n` instead'],
    ['a repeat of a long repeat', '(?:a{1000}){1000}', 'repeat {1000} expands to more than 100000 characters'],
    ['a bounded repeat of a long repeat', '(?:a{1000}){100,200}', 'repeat {100,200} expands to more than 100000 characters'],
    ['an unbounded repeat of a long repeat', '(?:(?:a{1000}){120,})', 'repeat {120,} expands to more than 100000 characters'],
    ['a long repeat of a class', '(?:[\\x{100}-\\x{200}\\x{300}-\\x{400}\\x{500}]{1000}){100}', 'repeat {100} expands to more than 100000 characters'],
  ])('%s: %s', (_name, pattern, problem) => {
    expect(problemOf(pattern)).toBe(problem);
  });

  test.each([
    ['(?m)$ is fine as \\z', '(?m)^foo\\z'],
    ['a repeat just under the source limit', '(?:ab){1,1000}'],
  ])('but %s: %s compiles', (_name, pattern) => {
    expect(problemOf(pattern)).toBe('compiled');
  });
});

describe('what looks like syntax but RE2 reads as literal text', () => {
  test.each([
    ['{ without a count', 'a{,5}', 'a{,5}'],
    ['a count with a leading zero (Go refuses it as a count)', 'a{01}', 'a{01}'],
    ['a maximum with a leading zero', 'a{1,02}', 'a{1,02}'],
    ['an unclosed count', 'a{2', 'a{2'],
    ['{ alone', '{', '{'],
    ['a } alone', 'a}', 'a}'],
    ['] outside a class', 'a]', 'a]'],
    ['] first in a class', '[]a]+', ']a]'],
    ['] first in a negated class', 'x[^]a]', 'xb'],
    ['- last in a class', '[a-]+', '-a-'],
    ['- first in a class', '[-a]+', 'a-'],
    ['[: without :]', '[[:alpha]+', ':alph['],
    ['\\Q…\\E', '\\Q(a)*\\E', '(a)*'],
    ['\\Q without \\E runs to the end', 'x\\Q[b', 'x[b'],
    ['escaped punctuation', '\\.\\*\\+\\?\\(\\)\\[\\]\\{\\}\\|\\^\\$\\\\\\/', '.*+?()[]{}|^$\\/'],
    ['octal escapes', '\\0\\101\\1010', '\0AA0'],
    ['simple escapes', '\\a\\f\\t\\n\\r\\v', '\x07\f\t\n\r\v'],
    ['hex escapes', '\\x41\\x{1F600}\\x{0}', 'A😀\0'],
  ])('%s: %s matches all of %j', (_name, pattern, text) => {
    expect(compileRe2(pattern).regex.exec(text)?.[0]).toBe(text);
  });

  test('a count with a leading zero is no count: a{01} does not match "a"', () => {
    expect(compileRe2('^a{01}$').regex.test('a')).toBe(false);
  });
});
