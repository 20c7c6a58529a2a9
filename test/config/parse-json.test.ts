/**
 * Syntax errors in JSON configuration name the line and column, never the text: a file given by
 * mistake (`--profile /etc/passwd`) may hold secrets.
 */
import { ConfigError } from '../../src/core/errors.js';
import { jsonErrorKind, jsonErrorOffset, parseJson } from '../../src/config/parse-json.js';

const secret = 'hunter2-S3CRET';

test.each([
  ['a passwd file', `root:x:0:0:root:/root:/bin/bash\n${secret}:x:1:1::/:/bin/sh\n`, 'line 1, column 1', 'unexpected character'],
  ['a bare word as a value', `{\n  "token": ${secret}\n}`, 'line 2, column 12', 'unexpected character'],
  ['a trailing comma', `{"token": "${secret}",}`, 'line 1, column 28', "expected double-quoted property name"],
  ['a missing colon', `{\n"a": 1,\n"${secret}" 2}`, 'line 3, column 18', "expected ':' after property name"],
  ['text after the value', `{"a": "${secret}"} ${secret}`, 'line 1, column 25', 'unexpected non-whitespace character after JSON'],
  ['a control character in a string', `{"a": "${secret}\u0001"}`, 'line 1, column 22', 'bad control character in string literal'],
  ['an unterminated string', `{"a": "${secret}`, 'line 1, column 22', 'unterminated string'],
  ['a cut file', `{"a": ["${secret}",`, 'end of file', 'unexpected end of file'],
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

test('the offset search finds the first bad character when V8 gives no position', () => {
  const text = '{"a": [1, 2, oops]}';
  expect(jsonErrorOffset(text, "Unexpected token 'o', \"...\" is not valid JSON")).toBe(text.indexOf('oops'));
  expect(jsonErrorOffset(text, 'Unexpected end of JSON input')).toBeUndefined();
  expect(jsonErrorOffset(text, 'Unexpected token at position 4 (line 1 column 5)')).toBe(4);
});

test('kinds drop the quoted input', () => {
  expect(jsonErrorKind('Unexpected token \'r\', "root:x:0:0" is not valid JSON')).toBe('unexpected character');
  expect(jsonErrorKind('Unterminated string in JSON at position 4 (line 1 column 5)')).toBe('unterminated string');
});

test('valid JSON parses', () => {
  expect(parseJson('{"a": [1, "b"]}', 'f.json')).toEqual({ a: [1, 'b'] });
});
