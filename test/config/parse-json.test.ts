import { ConfigError } from '../../src/core/errors.js';
import { findJsonSyntaxFault, parseJson } from '../../src/config/parse-json.js';

describe('findJsonSyntaxFault: the first fault of a text, found without reading the engine message', () => {
  test.each<[string, string, number | undefined, string | undefined]>([
    ['valid object', '{"a": [1, -2.5e3, true, false, null, "x\\u00e9\\n"], "b": {}}', undefined, undefined],
    ['valid scalar with spaces', ' \n 42 \n', undefined, undefined],
    ['missing comma between properties', '{"a": 1 "b": 2}', 8, `expected ',' or '}' after a property value, got '"'`],
    ['missing comma in an array', '[1 2]', 3, `expected ',' or ']' after an array element`],
    ['trailing comma in an object', '{"a": 1,}', 8, `expected a property name in double quotes, got '}'`],
    ['trailing comma in an array', '[1,]', 3, `expected a value, got ']'`],
    ['unquoted key', '{a: 1}', 1, `expected a property name in double quotes`],
    ['missing colon', '{"a" 1}', 5, `expected ':' after a property name`],
    ['single quotes', "{'a': 1}", 1, `expected a property name in double quotes, got '''`],
    ['unterminated string (where it starts)', '{"a": "b', 6, 'unterminated string'],
    ['raw newline in a string', '"a\nb"', 2, 'control character U+000A in a string'],
    ['bad escape', '"a\\x"', 2, 'invalid escape in a string'],
    ['leading zero', '01', 1, `expected the end of the file after the JSON value`],
    ['lone minus', '-', 0, 'invalid number'],
    ['empty text', '', 0, 'expected a value, got the end of the file'],
    ['unclosed object', '{"a": 1', 7, `expected ',' or '}' after a property value, got the end of the file`],
    ['two values', '{} {}', 3, `expected the end of the file after the JSON value, got '{'`],
    ['a word', 'nul', 0, `expected a value`],
    ['an exponent of two digits, then junk', '[1e10 x]', 6, `expected ',' or ']' after an array element`],
    ['a number starting with 9, then junk', '[9 x]', 3, `expected ',' or ']' after an array element`],
  ])('%s', (_name, text, offset, problem) => {
    const fault = findJsonSyntaxFault(text);
    // The scanner and the engine agree on what is JSON.
    let valid = true;
    try {
      JSON.parse(text);
    } catch {
      valid = false;
    }
    expect(fault === undefined).toBe(valid);
    expect(fault?.offset).toBe(offset);
    expect(fault?.problem).toBe(problem);
  });
  test('a million [ is reported, not a stack overflow', () => {
    expect(findJsonSyntaxFault('['.repeat(1_000_000))).toEqual({ offset: 1_000_000, problem: 'expected a value, got the end of the file' });
  });
});

const secret = 'hunter2-S3CRET';

// Syntax errors name the line and column, never the text: a file given by mistake
// (`--profile /etc/passwd`) may hold secrets.
test.each([
  ['a passwd file', `root:x:0:0:root:/root:/bin/bash\n${secret}:x:1:1::/:/bin/sh\n`, 'line 1, column 1', 'expected a value'],
  ['a bare word as a value', `{\n  "token": ${secret}\n}`, 'line 2, column 12', 'expected a value'],
  ['a trailing comma', `{"token": "${secret}",}`, 'line 1, column 28', "expected a property name in double quotes, got '}'"],
  ['a missing colon', `{\n"a": 1,\n"${secret}" 2}`, 'line 3, column 18', "expected ':' after a property name"],
  ['text after the value', `{"a": "${secret}"} ${secret}`, 'line 1, column 25', 'expected the end of the file after the JSON value'],
  ['a control character in a string', `{"a": "${secret}\u0001"}`, 'line 1, column 22', 'control character U+0001 in a string'],
  ['an unterminated string', `{"a": "${secret}`, 'line 1, column 7', 'unterminated string'],
  ['a cut file', `{"a": ["${secret}",`, 'end of file', 'expected a value, got the end of the file'],
])('%s: names where, not what', (_name, text, where, kind) => {
  const err = (() => {
    try {
      parseJson(text, '/etc/npd/x.json');
    } catch (e) {
      return e;
    }
    throw new Error('parsed');
  })();
  expect(err).toBeInstanceOf(ConfigError);
  expect((err as ConfigError).message).toBe(`/etc/npd/x.json: invalid JSON at ${where}: ${kind}`);
  expect((err as ConfigError).cause).toBeUndefined();
  expect((err as ConfigError).message).not.toContain(secret);
});

describe('parseJson', () => {
  test('returns the value', () => {
    expect(parseJson('{"a": [1]}', 'm.json')).toEqual({ a: [1] });
  });
  test.each([
    ['line and column', '{\n  "plugin": "kmsg"\n  "source": "x"}', `invalid JSON at line 3, column 3: expected ',' or '}' after a property value, got '"'`],
    ['end of file', '{"a": [1,', 'invalid JSON at end of file: expected a value, got the end of the file'],
  ])('a syntax error names the %s', (_name, text, problem) => {
    const err = (() => {
      try {
        parseJson(text, 'm.json');
      } catch (e) {
        return e;
      }
    })() as ConfigError;
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.file).toBe('m.json');
    expect(err.field).toBe('');
    expect(err.problem).toBe(problem);
  });
});
