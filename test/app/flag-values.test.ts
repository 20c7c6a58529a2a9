/**
 * The parsers of flag values (src/app/flag-values.ts): the values each takes and what it makes of
 * them, and each refusal, one ConfigError naming the flag with the exact problem the CLI prints.
 */
import { ConfigError } from '../../src/core/errors.js';
import { parseAddress, parseBool, parseDurationFlag, parseList, parseLogLevel, parseNumber, parsePort, parseText, positiveDuration } from '../../src/app/flag-values.js';

const parsers = { parseAddress, parseBool, parseDurationFlag, parseLogLevel, parseNumber, parsePort, parseText, positiveDuration } as const;
type Name = keyof typeof parsers;

test.each<[Name, string, unknown]>([
  // Go's flag package: 1, t, T, TRUE, true, True (and yes); case does not matter.
  ['parseBool', 'true', true],
  ['parseBool', 'TRUE', true],
  ['parseBool', '1', true],
  ['parseBool', 't', true],
  ['parseBool', 'T', true],
  ['parseBool', 'yes', true],
  ['parseBool', 'Yes', true],
  ['parseBool', 'false', false],
  ['parseBool', 'False', false],
  ['parseBool', '0', false],
  ['parseBool', 'f', false],
  ['parseBool', 'no', false],
  ['parseBool', 'NO', false],
  ['parseDurationFlag', '0', 0],
  ['parseDurationFlag', '250ms', 250],
  ['parseDurationFlag', '1h30m', 5_400_000],
  ['positiveDuration', '1ms', 1],
  ['positiveDuration', '5m', 300_000],
  ['parsePort', '0', 0],
  ['parsePort', '80', 80],
  ['parsePort', '00080', 80],
  ['parsePort', '65535', 65535],
  ['parseNumber', '0', 0],
  ['parseNumber', '20', 20],
  ['parseNumber', '1.5', 1.5],
  ['parseNumber', '10.25', 10.25],
  ['parseAddress', '127.0.0.1', '127.0.0.1'],
  ['parseAddress', '0.0.0.0', '0.0.0.0'],
  ['parseAddress', '::', '::'],
  ['parseAddress', 'fe80::1', 'fe80::1'],
  ['parseText', 'x', 'x'],
  // Kept as given: only an all-blank value is refused.
  ['parseText', ' /host/proc ', ' /host/proc '],
  ['parseLogLevel', 'debug', 'debug'],
  ['parseLogLevel', 'info', 'info'],
  ['parseLogLevel', 'warn', 'warn'],
  ['parseLogLevel', 'error', 'error'],
])('%s(%j) = %j', (name, value, expected) => {
  expect(parsers[name]('--x', value)).toEqual(expected);
});

// [parser, value, the exact problem]
test.each<[Name, string, string]>([
  ['parseBool', '', 'must be true or false, got ""'],
  ['parseBool', 'nope', 'must be true or false, got "nope"'],
  ['parseBool', 'truely', 'must be true or false, got "truely"'],
  ['parseBool', 'xtrue', 'must be true or false, got "xtrue"'],
  ['parseBool', 'yess', 'must be true or false, got "yess"'],
  ['parseBool', 'nofalse', 'must be true or false, got "nofalse"'],
  ['parseBool', 'false0', 'must be true or false, got "false0"'],
  ['parseBool', 'n', 'must be true or false, got "n"'],
  ['parseBool', '2', 'must be true or false, got "2"'],
  ['parseBool', ' true', 'must be true or false, got " true"'],
  ['parseDurationFlag', 'soon', 'must be a duration like 5m or 30s, got "soon"'],
  ['parseDurationFlag', '300', 'must be a duration like 5m or 30s, got "300"'],
  ['parseDurationFlag', '', 'must be a duration like 5m or 30s, got ""'],
  ['positiveDuration', '0', 'must be longer than 0, got "0"'],
  ['positiveDuration', '0s', 'must be longer than 0, got "0s"'],
  ['positiveDuration', 'soon', 'must be a duration like 5m or 30s, got "soon"'],
  ['parsePort', '', 'must be a port number 0–65535 (0 disables), got ""'],
  ['parsePort', '65536', 'must be a port number 0–65535 (0 disables), got "65536"'],
  ['parsePort', '99999', 'must be a port number 0–65535 (0 disables), got "99999"'],
  ['parsePort', '000080', 'must be a port number 0–65535 (0 disables), got "000080"'],
  ['parsePort', 'x80', 'must be a port number 0–65535 (0 disables), got "x80"'],
  ['parsePort', '80x', 'must be a port number 0–65535 (0 disables), got "80x"'],
  ['parsePort', '-1', 'must be a port number 0–65535 (0 disables), got "-1"'],
  ['parsePort', '0x50', 'must be a port number 0–65535 (0 disables), got "0x50"'],
  ['parseNumber', '', 'must be a number, got ""'],
  ['parseNumber', 'fast', 'must be a number, got "fast"'],
  ['parseNumber', 'x1', 'must be a number, got "x1"'],
  ['parseNumber', '1x', 'must be a number, got "1x"'],
  ['parseNumber', '1.', 'must be a number, got "1."'],
  ['parseNumber', '.5', 'must be a number, got ".5"'],
  ['parseNumber', '1.5x', 'must be a number, got "1.5x"'],
  ['parseNumber', '-1', 'must be a number, got "-1"'],
  ['parseNumber', '1e3', 'must be a number, got "1e3"'],
  ['parseAddress', '', 'must be an IP address such as 127.0.0.1 or 0.0.0.0, got ""'],
  ['parseAddress', 'localhost', 'must be an IP address such as 127.0.0.1 or 0.0.0.0, got "localhost"'],
  ['parseText', '', 'must not be empty'],
  ['parseText', ' \t', 'must not be empty'],
  ['parseLogLevel', 'verbose', 'must be one of debug, info, warn, error, got "verbose"'],
  ['parseLogLevel', 'INFO', 'must be one of debug, info, warn, error, got "INFO"'],
  ['parseLogLevel', '', 'must be one of debug, info, warn, error, got ""'],
])('%s(%j) is refused: %s', (name, value, problem) => {
  let thrown: unknown;
  try {
    parsers[name]('--some-flag', value);
  } catch (err) {
    thrown = err;
  }
  expect(thrown).toBeInstanceOf(ConfigError);
  expect(thrown).toMatchObject({ file: 'command line', field: '--some-flag', problem, message: `command line: --some-flag: ${problem}` });
});

test('parseList: comma-separated, blanks trimmed and dropped, appended to the earlier occurrences', () => {
  expect(parseList('--l', 'a.json', undefined)).toEqual(['a.json']);
  expect(parseList('--l', ' a.json , b.json ', undefined)).toEqual(['a.json', 'b.json']);
  expect(parseList('--l', 'a.json,,b.json,', undefined)).toEqual(['a.json', 'b.json']);
  expect(parseList('--l', 'c.json', ['a.json', 'b.json'])).toEqual(['a.json', 'b.json', 'c.json']);
  for (const empty of ['', ',', ' , ']) expect(() => parseList('--l', empty, ['a.json'])).toThrow(new ConfigError('command line', '--l', 'must name at least one file'));
});
