import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../src/core/errors.js';
import { loadConnection, resolveNodeName, serviceAccountDir } from '../../src/kube/connection.js';
import { parseKubeconfig } from '../../src/kube/kubeconfig.js';
import { parseRetryAfter } from '../../src/kube/api-transport.js';

test.each([
  ['the flag wins', 'flag-node', 'env-node', 'Host-1', 'flag-node'],
  ['then NODE_NAME', undefined, 'env-node', 'Host-1', 'env-node'],
  ['blank flag is unset', '  ', 'env-node', 'Host-1', 'env-node'],
  ['then the host name, lower-cased', undefined, '', 'Host-1', 'host-1'],
])('resolveNodeName: %s', (_name, flag, env, host, want) => {
  expect(resolveNodeName(flag, env, host)).toBe(want);
});

const kubeconfig = (user: object, cluster: object = {}): string => JSON.stringify({
  'current-context': 'c',
  contexts: [{ name: 'c', context: { cluster: 'k', user: 'u' } }],
  clusters: [{ name: 'k', cluster: { server: 'https://10.0.0.1:6443/', ...cluster } }],
  users: [{ name: 'u', user }],
});

test.each([
  ['token', kubeconfig({ token: 'abc' }), { server: 'https://10.0.0.1:6443', token: { data: 'abc' }, insecure: false }],
  ['relative tokenFile', kubeconfig({ tokenFile: 'tok' }), { token: { file: '/etc/kube/tok' } }],
  ['cert data (base64)', kubeconfig({ 'client-certificate-data': Buffer.from('CERT').toString('base64'), 'client-key-data': Buffer.from('KEY').toString('base64') }),
    { cert: { data: 'CERT' }, key: { data: 'KEY' } }],
  ['exec plugin', kubeconfig({ exec: { command: 'aws', args: ['eks', 'get-token'], apiVersion: 'client.authentication.k8s.io/v1beta1', env: [{ name: 'AWS_PROFILE', value: 'p' }] } }),
    { exec: { command: 'aws', args: ['eks', 'get-token'], env: [{ name: 'AWS_PROFILE', value: 'p' }], provideClusterInfo: false, field: 'users[u].exec' }, token: undefined }],
  ['CA file and insecure', kubeconfig({}, { 'certificate-authority': '/ca.crt', 'insecure-skip-tls-verify': true }), { ca: { file: '/ca.crt' }, insecure: true }],
])('parseKubeconfig: %s', async (_name, text, want) => {
  expect(await parseKubeconfig(text, '/etc/kube/config')).toMatchObject(want);
});

test('YAML kubeconfig (as kubectl writes it)', async () => {
  const text = [
    'apiVersion: v1', 'kind: Config', 'current-context: c',
    'clusters:', '- name: k', '  cluster:', '    server: https://127.0.0.1:6443', '    certificate-authority-data: ' + Buffer.from('CA').toString('base64'),
    'contexts:', '- name: c', '  context:', '    cluster: k', '    user: u',
    'users:', '- name: u', '  user:', '    token: t0k',
  ].join('\n');
  expect(await parseKubeconfig(text, '/x/config')).toMatchObject({ server: 'https://127.0.0.1:6443', ca: { data: 'CA' }, token: { data: 't0k' } });
});

test.each([
  ['no current-context', JSON.stringify({ clusters: [] }), 'current-context'],
  ['unknown context', JSON.stringify({ 'current-context': 'x', contexts: [] }), 'contexts'],
  ['exec plugin without an apiVersion', kubeconfig({ exec: { command: 'aws' } }), 'users[u].exec.apiVersion'],
  ['auth-provider plugin (removed in Kubernetes 1.26)', kubeconfig({ 'auth-provider': { name: 'gcp' } }), 'users[u].auth-provider'],
  ['not YAML', '{{{', ''],
])('parseKubeconfig rejects %s with a ConfigError naming the field', async (_name, text, field) => {
  try {
    await parseKubeconfig(text, '/k');
    throw new Error('no error');
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).field).toBe(field);
    expect((err as ConfigError).file).toBe('/k');
  }
});

async function saDir(token: string): Promise<string> {
  const prefix = await mkdtemp(join(tmpdir(), 'npd-sa-'));
  const dir = join(prefix, serviceAccountDir);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'token'), `${token}\n`);
  await writeFile(join(dir, 'ca.crt'), 'CA PEM');
  return prefix;
}

test('in-cluster: service host/port from env, CA and token from the prefixed service account dir', async () => {
  const prefix = await saDir('sa-token');
  const c = await loadConnection({ inClusterPrefix: prefix }, { KUBERNETES_SERVICE_HOST: 'fd00::1', KUBERNETES_SERVICE_PORT: '443' });
  expect(c.server).toBe('https://[fd00::1]:443');
  expect(c.ca).toBe('CA PEM');
  expect(await c.auth.token()).toBe('sa-token');
});

test.each([
  ['inClusterConfig=false&auth=kubeconfig&insecure=true', (k: string) => `https://127.0.0.9:7443?inClusterConfig=false&auth=${k}&insecure=true`,
    { server: 'https://127.0.0.9:7443', insecure: true }, 'from-kubeconfig'],
  ['in-cluster by default, server from the URI', () => 'https://127.0.0.9:7443', { server: 'https://127.0.0.9:7443', insecure: false, ca: 'CA PEM' }, 'sa'],
  ['anonymous', () => 'http://127.0.0.9:8080?inClusterConfig=false', { server: 'http://127.0.0.9:8080' }, undefined],
])('--apiserver-override %s', async (_name, uri, want, token) => {
  const prefix = await saDir('sa');
  const k = join(prefix, 'kubeconfig');
  await writeFile(k, kubeconfig({ token: 'from-kubeconfig' }));
  const c = await loadConnection({ apiserverOverride: uri(k), inClusterPrefix: prefix }, {});
  expect(c).toMatchObject(want);
  expect(await c.auth.token()).toBe(token);
});

test.each([
  ['nothing configured', {}, {}],
  ['bad override', { apiserverOverride: 'not a uri' }, {}],
  ['missing kubeconfig', { kubeconfig: '/nonexistent/kubeconfig' }, {}],
  ['in-cluster without a token', { inClusterPrefix: '/nonexistent' }, { KUBERNETES_SERVICE_HOST: 'h', KUBERNETES_SERVICE_PORT: '443' }],
])('loadConnection: %s is a ConfigError', async (_name, flags, env) => {
  await expect(loadConnection(flags, env)).rejects.toBeInstanceOf(ConfigError);
});

test.each([
  ['seconds', '3', 3000],
  ['absent', undefined, undefined],
  ['garbage', 'soon', undefined],
  ['HTTP date', 'Thu, 01 Jan 2026 00:00:10 GMT', 10_000],
])('parseRetryAfter: %s', (_name, value, want) => {
  expect(parseRetryAfter(value, Date.parse('2026-01-01T00:00:00Z'))).toBe(want);
});
