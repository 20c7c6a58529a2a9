import { ApiError, ConfigError, DeadlineError, NetworkError, NpdError, Re2Error, Re2SyntaxError, SourceError, stripUrlAuth } from '../../src/core/errors.js';

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
  ])('%s → %s', (url, want) => {
    expect(stripUrlAuth(url)).toBe(want);
  });
});
