import { ApiError, ConfigError, DeadlineError, NetworkError, NpdError, Re2Error, Re2SyntaxError, SourceError, errorMessage, isFdExhaustion, stripUrlAuth } from '../../src/core/errors.js';

describe('every error class has its stable code and its name', () => {
  test.each<[string, NpdError, string]>([
    ['ConfigError', new ConfigError('m.json', 'rules[0].pattern', 'bad'), 'ERR_MONITOR_CONFIG'],
    ['ApiError', new ApiError(409, 'PATCH /x: 409'), 'ERR_APISERVER_STATUS'],
    ['NetworkError', new NetworkError('GET /x: ECONNREFUSED'), 'ERR_APISERVER_NETWORK'],
    ['SourceError', new SourceError('gone'), 'ERR_SOURCE'],
    ['Re2Error', new Re2Error('a(', 'missing )'), 'ERR_MONITOR_CONFIG'],
    ['Re2SyntaxError', new Re2SyntaxError('missing )', 2), 'ERR_REGEX_SYNTAX'],
    ['DeadlineError', new DeadlineError(5000), 'ERR_PROBE_TIMEOUT'],
  ])('%s', (name, err, code) => {
    expect(err).toBeInstanceOf(NpdError);
    expect(err.code).toBe(code);
    expect(err.name).toBe(name);
  });
  test('messages carry their data', () => {
    expect(new ConfigError('m.json', 'rules[0].pattern', 'bad').message).toBe('m.json: rules[0].pattern: bad');
    expect(new ConfigError('m.json', '', 'bad').message).toBe('m.json: bad');
    expect(new Re2Error('a(', 'missing )').message).toBe('missing ) in pattern "a("');
    expect(new DeadlineError(5000).message).toBe('timed out after 5000ms');
    expect(new Re2SyntaxError('missing )', 2).offset).toBe(2);
  });
});

describe('stripUrlAuth', () => {
  test.each([
    ['http://user:pass@host:8080/path?q=1', 'http://host:8080/path?q=1'],
    ['https://token@metadata.test', 'https://metadata.test'],
    ['http://host', 'http://host'],
    ['http://host/a@b', 'http://host/a@b'],
    ['http://host?x=a@b', 'http://host?x=a@b'],
    ['not a url', 'not a url'],
    ['http://host/?next=http://u:p@other', 'http://host/?next=http://u:p@other'],
  ])('%s → %s', (url, want) => {
    expect(stripUrlAuth(url)).toBe(want);
  });
});

describe('what each error carries', () => {
  test('ApiError: the status, the Retry-After wait, the Status reason and the cause', () => {
    const cause = new Error('socket hang up');
    const err = new ApiError(429, 'PATCH /x: 429', { retryAfterMs: 3000, reason: 'TooManyRequests', cause });
    expect([err.status, err.retryAfterMs, err.reason, err.cause, err.message]).toEqual([429, 3000, 'TooManyRequests', cause, 'PATCH /x: 429']);
    expect([new ApiError(500, 'm').retryAfterMs, new ApiError(500, 'm').reason]).toEqual([undefined, undefined]);
  });
  test.each([
    ['m.json', 'rules[0]', 'bad', 'm.json: rules[0]: bad'],
    ['', 'rules[0]', 'bad', 'rules[0]: bad'],
    ['', '', 'bad', 'bad'],
  ])('ConfigError(%j, %j, %j) reads %j, its parts kept', (file, field, problem, message) => {
    const err = new ConfigError(file, field, problem, { cause: 'c' });
    expect([err.message, err.file, err.field, err.problem, err.cause]).toEqual([message, file, field, problem, 'c']);
  });
  test('the others keep their cause and data', () => {
    expect(new NetworkError('n', { cause: 1 }).cause).toBe(1);
    expect(new SourceError('s', { cause: 2 }).cause).toBe(2);
    const re2 = new Re2Error('a(', 'missing )', { cause: 3 });
    expect([re2.pattern, re2.problem, re2.cause]).toEqual(['a(', 'missing )', 3]);
    expect(new DeadlineError(250).ms).toBe(250);
  });
});

test.each([
  [new Error('boom'), 'boom'],
  ['plain text', 'plain text'],
  [42, '42'],
  [undefined, 'undefined'],
])('errorMessage(%p) = %j', (err, text) => {
  expect(errorMessage(err)).toBe(text);
});

describe('isFdExhaustion', () => {
  const fd = (code: string): Error => Object.assign(new Error(code), { code });
  const wrap = (err: unknown, times: number): unknown => (times === 0 ? err : wrap(new Error('wrapped', { cause: err }), times - 1));
  test.each([
    ['EMFILE', fd('EMFILE'), true],
    ['ENFILE', fd('ENFILE'), true],
    ['another code', fd('ENOENT'), false],
    ['EMFILE four causes deep', wrap(fd('EMFILE'), 4), true],
    ['EMFILE five causes deep (the search stops)', wrap(fd('EMFILE'), 5), false],
    ['a code that is no string', { code: 24 }, false],
    ['nothing', undefined, false],
  ])('%s → %s', (_name, err, want) => {
    expect(isFdExhaustion(err)).toBe(want);
  });
});
