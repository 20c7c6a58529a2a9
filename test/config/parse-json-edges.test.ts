/**
 * The JSON scanner at the edges of JSON's grammar (RFC 8259): every escape, whitespace character,
 * number form and nesting, each checked against the engine (the scanner must agree on what is JSON)
 * and, for a fault, its exact offset and problem.
 */
import { findJsonSyntaxFault, parseJson } from '../../src/config/parse-json.js';

test.each<[string, string, number | undefined, string | undefined]>([
  ['every escape', '"\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00aF"', undefined, undefined],
  ['tabs, CRs and newlines around values', '\t{\r\n"a"\t:\r[ 1 ,\n2 ]\t}\r\n', undefined, undefined],
  ['empty containers with spaces', '{ "a": [ ], "b": { } }', undefined, undefined],
  ['nested containers closed in turn', '[[{"a":[{}]}],[]]', undefined, undefined],
  ['numbers of every form', '[0, -0, 12, -3.25, 1e5, 1E+5, 2.5e-3]', undefined, undefined],
  ['true, false and null in a list', '[true,false,null]', undefined, undefined],
  ['a short \\u escape', '"\\u12"', 1, 'invalid escape in a string'],
  ['a \\u escape with a non-hex digit', '"\\u12G4"', 1, 'invalid escape in a string'],
  ['an escape at the end', '"\\', 1, 'invalid escape in a string'],
  ['a control character U+001F', '"\u001f"', 1, 'control character U+001F in a string'],
  ['a tab in a string', '"a\tb"', 2, 'control character U+0009 in a string'],
  ['a fraction without digits (the number ends before the dot)', '1.', 1, 'expected the end of the file after the JSON value'],
  ['an exponent without digits (the number ends before the e)', '[1e]', 2, "expected ',' or ']' after an array element"],
  ['a minus without digits', '-a', 0, 'invalid number'],
  ['a plus sign', '+1', 0, 'expected a value'],
  ['a cut word', 'tru', 0, 'expected a value'],
  ['a word in an array', '[1, nope]', 4, 'expected a value'],
  ['a key followed by the end', '{"a"', 4, "expected ':' after a property name, got the end of the file"],
  ['a key followed by a comma', '{"a",', 4, "expected ':' after a property name, got ','"],
  ['an unterminated key', '{"a', 1, 'unterminated string'],
  ['a bad escape in a key', '{"\\q": 1}', 2, 'invalid escape in a string'],
  ['a colon for a comma in an array', '[1:2]', 2, "expected ',' or ']' after an array element, got ':'"],
  ['a bracket closing an object', '{"a": 1]', 7, "expected ',' or '}' after a property value, got ']'"],
  ['a brace closing an array', '[1}', 2, "expected ',' or ']' after an array element, got '}'"],
  ['a letter after a value', '1 x', 2, 'expected the end of the file after the JSON value'],
  ['a bracket after a value', '{}]', 2, "expected the end of the file after the JSON value, got ']'"],
  ['a lone closing bracket', ']', 0, "expected a value, got ']'"],
  ['a lone colon', ':', 0, "expected a value, got ':'"],
  ['a lone comma', ',', 0, "expected a value, got ','"],
  ['spaces only', ' \t\r\n', 4, 'expected a value, got the end of the file'],
])('%s', (_name, text, offset, problem) => {
  let valid = true;
  try {
    JSON.parse(text);
  } catch {
    valid = false;
  }
  const fault = findJsonSyntaxFault(text);
  expect(fault === undefined).toBe(valid);
  expect(fault).toEqual(offset === undefined ? undefined : { offset, problem });
});

test.each([
  ['the first line', '  x', 'line 1, column 3'],
  ['after two newlines', '{\n\n   x', 'line 3, column 4'],
  ['the last character', '{"a": 1 x', 'line 1, column 9'],
])('parseJson names the position on %s', (_name, text, where) => {
  expect(() => parseJson(text, 'f.json')).toThrow(new RegExp(`^f\\.json: invalid JSON at ${where}: `));
});
