/**
 * A malformed kubeconfig is reported by file, line and column: js-yaml's own message quotes the
 * lines around the error, which hold `token:` and `client-key-data:`.
 */
import { ConfigError } from '../../src/core/errors.js';
import { parseKubeconfig, yamlErrorReason } from '../../src/kube/kubeconfig.js';

const token = 'eyJhbGciOiJSUzI1NiJ9.SECRET-TOKEN';
const key = 'LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0tS0VDUkVU';

const broken = [
  'apiVersion: v1',
  'kind: Config',
  'current-context: c',
  'users:',
  '- name: u',
  '  user:',
  `    token: ${token}`,
  `    client-key-data: ${key}`,
  '   oops: [ misindented',
  'clusters: []',
].join('\n');

test.each([
  ['a misindented line after the secrets', broken, 'line 9, column 4', 'bad indentation of a mapping entry'],
  ['an unknown alias naming a secret', `current-context: *${token}\n`, 'line 1, column', 'unidentified alias …'],
  ['a tab in the indentation', `users:\n- name: u\n  user:\n\ttoken: ${token}\n`, 'line 4, column 1', ''],
])('%s: the error names file, line and column, never the content', async (_name, text, where, reason) => {
  const err = await parseKubeconfig(text, '/etc/kubernetes/kubeconfig').catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ConfigError);
  const message = (err as ConfigError).message;
  expect(message).toMatch(/^\/etc\/kubernetes\/kubeconfig: not YAML at line/);
  expect(message).toContain(where);
  expect(message).toContain(reason);
  expect(message).not.toContain('SECRET');
  expect(message).not.toContain(key.slice(0, 12));
  expect((err as ConfigError).cause).toBeUndefined();
});

test('reasons lose quoted input and tags', () => {
  expect(yamlErrorReason({ reason: 'unknown tag !<tag:secret>' })).toBe('unknown tag …');
  expect(yamlErrorReason({ reason: 'unidentified alias "s3cret"' })).toBe('unidentified alias …');
  expect(yamlErrorReason(new Error('x'))).toBe('syntax error');
});
