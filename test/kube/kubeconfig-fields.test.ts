/**
 * What `parseKubeconfig` takes from each field of the current context, and the exact ConfigError
 * (file, field, problem) for each thing a kubeconfig can get wrong. Pure over text, no files.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../src/core/errors.js';
import { parseExecConfig, parseKubeconfig, readKubeconfig, yamlErrorReason, yamlErrorWhere } from '../../src/kube/kubeconfig.js';

const v1 = 'client.authentication.k8s.io/v1';
const b64 = (s: string): string => Buffer.from(s).toString('base64');

/** A kubeconfig whose current context `c` joins cluster `k` and user `u`. */
const doc = (user: object | undefined, cluster: object = { server: 'https://10.0.0.1:6443' }, extra: object = {}): string => JSON.stringify({
  'current-context': 'c',
  contexts: [{ name: 'other', context: { cluster: 'x', user: 'y' } }, { name: 'c', context: { cluster: 'k', ...(user ? { user: 'u' } : {}) } }],
  clusters: [{ name: 'x', cluster: { server: 'https://wrong' } }, { name: 'k', cluster }],
  users: [{ name: 'y', user: { token: 'wrong' } }, ...(user ? [{ name: 'u', user }] : [])],
  ...extra,
});

const fails = async (text: string): Promise<ConfigError> => {
  const err = await parseKubeconfig(text, '/etc/kube/config').catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ConfigError);
  return err as ConfigError;
};

test('the current context picks its own cluster and user among others; every field is read', async () => {
  const entry = await parseKubeconfig(doc(
    { token: 'tok', 'client-certificate-data': b64('CERT'), 'client-key': 'keys/k.pem' },
    { server: 'https://10.0.0.1:6443///', 'certificate-authority-data': b64('CA PEM'), 'insecure-skip-tls-verify': false },
  ), '/etc/kube/config');
  expect(entry).toEqual({
    server: 'https://10.0.0.1:6443',
    ca: { data: 'CA PEM' },
    cert: { data: 'CERT' },
    key: { file: '/etc/kube/keys/k.pem' },
    token: { data: 'tok' },
    exec: undefined,
    insecure: false,
  });
});

test.each([
  ['an empty token falls back to tokenFile', { token: '', tokenFile: 'tok' }, { file: '/d/tok' }],
  ['an absolute tokenFile is kept', { tokenFile: '/var/run/tok' }, { file: '/var/run/tok' }],
  ['a token that is not a string is no token', { token: 7 }, undefined],
  ['an empty tokenFile is no token', { tokenFile: '' }, undefined],
])('token: %s', async (_name, user, want) => {
  expect((await parseKubeconfig(doc(user), '/etc/kube/config', '/d')).token).toEqual(want);
});

test.each([
  ['empty data falls back to the file', { 'certificate-authority-data': '', 'certificate-authority': 'ca.crt' }, { file: '/d/ca.crt' }],
  ['data that is not a string falls back to the file', { 'certificate-authority-data': 1, 'certificate-authority': '/ca.crt' }, { file: '/ca.crt' }],
  ['a file that is not a string is nothing', { 'certificate-authority': true }, undefined],
])('certificate-authority: %s', async (_name, cluster, want) => {
  expect((await parseKubeconfig(doc({}, { server: 'https://s', ...cluster }), '/etc/kube/config', '/d')).ca).toEqual(want);
});

test('the default base of relative paths is the kubeconfig\'s directory', async () => {
  expect((await parseKubeconfig(doc({ 'client-certificate': 'c.pem' }), '/etc/kube/config')).cert).toEqual({ file: '/etc/kube/c.pem' });
});

test.each([
  ['insecure only when exactly true', { server: 'https://s', 'insecure-skip-tls-verify': 'true' }, false],
  ['insecure true', { server: 'https://s', 'insecure-skip-tls-verify': true }, true],
])('%s', async (_name, cluster, want) => {
  expect((await parseKubeconfig(doc({}, cluster), '/k')).insecure).toBe(want);
});

test.each([
  ['no user', undefined],
  ['an empty user name', ''],
  ['a user name that is not a string', 7],
])('a context with %s connects anonymously', async (_name, user) => {
  const text = JSON.stringify({
    'current-context': 'c',
    contexts: [{ name: 'c', context: { cluster: 'k', user } }],
    clusters: [{ name: 'k', cluster: { server: 'https://10.0.0.1:6443' } }],
    users: [{ name: 'u', user: { token: 'not mine' } }],
  });
  const entry = await parseKubeconfig(text, '/k');
  expect(entry).toMatchObject({ token: undefined, cert: undefined, key: undefined, exec: undefined, server: 'https://10.0.0.1:6443' });
});

test.each([
  ['not a mapping', '- a\n- b\n', '', 'not a kubeconfig (expected a mapping)'],
  ['null', 'null\n', '', 'not a kubeconfig (expected a mapping)'],
  ['an empty current-context', JSON.stringify({ 'current-context': '' }), 'current-context', 'missing'],
  ['a current-context that is not a string', JSON.stringify({ 'current-context': 3 }), 'current-context', 'missing'],
  ['contexts not a list', JSON.stringify({ 'current-context': 'c', contexts: { c: {} } }), 'contexts', 'no context named "c"'],
  ['a context without its mapping', JSON.stringify({ 'current-context': 'c', contexts: [{ name: 'c' }] }), 'contexts', 'no context named "c"'],
  ['a context whose mapping is a list', JSON.stringify({ 'current-context': 'c', contexts: [{ name: 'c', context: [] }] }), 'contexts', 'no context named "c"'],
  ['an unknown cluster', doc({}, undefined, { clusters: [] }), 'clusters', 'no cluster named "k"'],
  ['a context without a cluster', JSON.stringify({ 'current-context': 'c', contexts: [{ name: 'c', context: {} }], clusters: [{ name: '', cluster: {} }] }),
    'clusters[].server', 'missing'],
  ['an unknown user', doc({ token: 't' }, undefined, { users: [] }), 'users', 'no user named "u"'],
  ['a server that is not a string', doc({}, { server: 6443 }), 'clusters[k].server', 'missing'],
  ['an empty server', doc({}, { server: '' }), 'clusters[k].server', 'missing'],
  ['an auth-provider', doc({ 'auth-provider': null }), 'users[u].auth-provider',
    'auth-provider plugins were removed from Kubernetes in 1.26; use an exec plugin, a token, tokenFile or client certificate'],
])('%s: the exact field and problem', async (_name, text, field, problem) => {
  const err = await fails(text);
  expect(err).toMatchObject({ file: '/etc/kube/config', field, problem });
});

test('a list item that is not a mapping is skipped when looking up a name', async () => {
  const text = JSON.stringify({ 'current-context': 'c', contexts: ['c', null, { name: 'c', context: { cluster: 'k' } }], clusters: [{ name: 'k', cluster: { server: 'https://s' } }] });
  expect((await parseKubeconfig(text, '/k')).server).toBe('https://s');
});

test('an exec section is parsed with the user\'s name in its field, against the given directory', async () => {
  const entry = await parseKubeconfig(doc({ exec: { command: 'bin/p', apiVersion: v1 } }), '/etc/kube/config', '/d');
  expect(entry.exec).toEqual({
    command: '/d/bin/p', args: [], env: [], apiVersion: v1, provideClusterInfo: false, installHint: undefined, file: '/etc/kube/config', field: 'users[u].exec',
  });
});

const exec = (raw: unknown) => parseExecConfig(raw, '/k/config', 'users[u].exec', '/k');
const execFails = (raw: unknown): ConfigError => {
  try {
    exec(raw);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('no error');
};

test.each([
  ['not a mapping', 'aws', 'users[u].exec', 'must be a mapping'],
  ['a list', ['aws'], 'users[u].exec', 'must be a mapping'],
  ['a blank command', { command: '  ', apiVersion: v1 }, 'users[u].exec.command', 'missing'],
  ['a command that is not a string', { command: ['aws'], apiVersion: v1 }, 'users[u].exec.command', 'missing'],
  ['an unknown apiVersion', { command: 'p', apiVersion: 'v2' }, 'users[u].exec.apiVersion',
    'must be client.authentication.k8s.io/v1 or client.authentication.k8s.io/v1beta1, got "v2"'],
  ['args not a list', { command: 'p', apiVersion: v1, args: 'a b' }, 'users[u].exec.args', 'must be a list of strings'],
  ['args with a number', { command: 'p', apiVersion: v1, args: ['a', 1] }, 'users[u].exec.args', 'must be a list of strings'],
  ['env not a list', { command: 'p', apiVersion: v1, env: { A: 'x' } }, 'users[u].exec.env', 'must be a list of {name, value}'],
  ['an env item not a mapping', { command: 'p', apiVersion: v1, env: ['A=x'] }, 'users[u].exec.env[0]', 'must have a name and a string value'],
  ['an env name not a string', { command: 'p', apiVersion: v1, env: [{ name: 1, value: 'x' }] }, 'users[u].exec.env[0]', 'must have a name and a string value'],
  ['an empty env name', { command: 'p', apiVersion: v1, env: [{ name: '', value: 'x' }] }, 'users[u].exec.env[0]', 'must have a name and a string value'],
  ['an env value not a string', { command: 'p', apiVersion: v1, env: [{ name: 'A', value: 1 }] }, 'users[u].exec.env[0]', 'must have a name and a string value'],
  ['interactiveMode not a string', { command: 'p', apiVersion: v1, interactiveMode: true }, 'users[u].exec.interactiveMode', 'must be Never, IfAvailable or Always, got true'],
  ['interactiveMode Always', { command: 'p', apiVersion: v1, interactiveMode: 'Always' }, 'users[u].exec.interactiveMode',
    'Always needs a terminal and the agent never has one; use Never or IfAvailable'],
])('exec %s: the exact field and problem', (_name, raw, field, problem) => {
  expect(execFails(raw)).toMatchObject({ file: '/k/config', field, problem, message: `/k/config: ${field}: ${problem}` });
});

test('exec: every field kept, the install hint trimmed, Never accepted', () => {
  expect(exec({
    command: '/usr/bin/p', apiVersion: 'client.authentication.k8s.io/v1beta1', args: ['a'], env: [{ name: 'A', value: '' }],
    interactiveMode: 'Never', provideClusterInfo: true, installHint: '  apt install p \n',
  })).toEqual({
    command: '/usr/bin/p', args: ['a'], env: [{ name: 'A', value: '' }], apiVersion: 'client.authentication.k8s.io/v1beta1',
    provideClusterInfo: true, installHint: 'apt install p', file: '/k/config', field: 'users[u].exec',
  });
});

test.each([
  ['a bare command is left to PATH', { command: 'aws' }, { command: 'aws' }],
  ['interactiveMode IfAvailable is accepted', { interactiveMode: 'IfAvailable' }, { command: 'p' }],
  ['provideClusterInfo only when exactly true', { provideClusterInfo: 'true' }, { provideClusterInfo: false }],
  ['a blank install hint is none', { installHint: '   ' }, { installHint: undefined }],
  ['an install hint that is not a string is none', { installHint: 3 }, { installHint: undefined }],
])('exec: %s', (_name, extra, want) => {
  expect(exec({ command: 'p', apiVersion: v1, ...extra })).toMatchObject(want);
});

test('yamlErrorWhere: 1-based line and column from the mark, nothing without both', () => {
  expect(yamlErrorWhere({ mark: { line: 0, column: 4 } })).toBe(' at line 1, column 5');
  expect(yamlErrorWhere({ mark: { line: 2 } })).toBe('');
  expect(yamlErrorWhere({ mark: { column: 2 } })).toBe('');
  expect(yamlErrorWhere({})).toBe('');
  expect(yamlErrorWhere(undefined)).toBe('');
});

test('yamlErrorReason: every quoted or tagged piece of input goes, the rest stays', () => {
  expect(yamlErrorReason({ reason: 'unknown tag !secret here' })).toBe('unknown tag … here');
  expect(yamlErrorReason({ reason: "alias 'a b' and \"c d\" and !<x y> end" })).toBe('alias … and … and … end');
  expect(yamlErrorReason({ reason: '' })).toBe('syntax error');
  expect(yamlErrorReason(undefined)).toBe('syntax error');
});

test('readKubeconfig: a file that cannot be read is a ConfigError naming it, with the cause', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'npd-kc-'));
  const err = await readKubeconfig(join(dir, 'missing')).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ConfigError);
  expect(err).toMatchObject({ file: join(dir, 'missing'), field: '' });
  expect((err as ConfigError).problem).toMatch(/^cannot read kubeconfig: .*ENOENT: no such file or directory/);
  expect((err as ConfigError).cause).toMatchObject({ code: 'ENOENT' });
  await writeFile(join(dir, 'config'), doc({ token: 't' }));
  expect(await readKubeconfig(join(dir, 'config'))).toMatchObject({ token: { data: 't' }, server: 'https://10.0.0.1:6443' });
});
