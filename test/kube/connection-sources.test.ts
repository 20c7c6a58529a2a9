/**
 * Where `loadConnection` takes the server, TLS material and token from, in NPD's order, and the exact
 * ConfigError for each thing missing: files in a temp dir stand in for the service account, the
 * kubeconfig and its PEM files.
 */
import { chmod, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createManualClock } from '../../src/core/clock.js';
import { ConfigError } from '../../src/core/errors.js';
import { loadConnection, resolveNodeName, serviceAccountDir } from '../../src/kube/connection.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'npd-conn-'));
});

/** A service account under `dir` (token and CA), returning the prefix. */
async function serviceAccount(token = 'sa-token', ca: string | null = 'SA CA'): Promise<string> {
  const sa = join(dir, serviceAccountDir);
  await mkdir(sa, { recursive: true });
  await writeFile(join(sa, 'token'), `${token}\n`);
  if (ca !== null) await writeFile(join(sa, 'ca.crt'), ca);
  return dir;
}

/** Writes a kubeconfig with `user` and `cluster` fields to `dir/name`. */
async function kubeconfig(user: object, cluster: object = {}, name = 'config'): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, JSON.stringify({
    'current-context': 'c',
    contexts: [{ name: 'c', context: { cluster: 'k', user: 'u' } }],
    clusters: [{ name: 'k', cluster: { server: 'https://10.0.0.1:6443', ...cluster } }],
    users: [{ name: 'u', user }],
  }));
  return file;
}

const configError = async (p: Promise<unknown>): Promise<ConfigError> => {
  const err = await p.catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ConfigError);
  return err as ConfigError;
};

test.each([
  ['a flag with spaces', ' flag-node ', undefined, 'Host', 'flag-node'],
  ['NODE_NAME with spaces', undefined, ' env-node ', 'Host', 'env-node'],
  ['a blank NODE_NAME', undefined, '  ', ' Host-1 ', 'host-1'],
  ['an empty flag', '', 'env-node', 'Host', 'env-node'],
  ['neither flag nor NODE_NAME', undefined, undefined, 'Host-2', 'host-2'],
])('resolveNodeName: %s', (_name, flag, env, host, want) => {
  expect(resolveNodeName(flag, env, host)).toBe(want);
});

test('a kubeconfig: PEM files read, the token file re-read on the clock, the cluster\'s insecure flag', async () => {
  await writeFile(join(dir, 'ca.crt'), 'CA PEM');
  await writeFile(join(dir, 'c.crt'), 'CERT PEM');
  await writeFile(join(dir, 'c.key'), 'KEY PEM');
  await writeFile(join(dir, 'tok'), 'one');
  const file = await kubeconfig({ 'client-certificate': 'c.crt', 'client-key': 'c.key', tokenFile: 'tok' }, { 'certificate-authority': 'ca.crt', 'insecure-skip-tls-verify': true });
  const clock = createManualClock();
  const c = await loadConnection({ kubeconfig: file }, {}, clock);
  expect(c).toMatchObject({ server: 'https://10.0.0.1:6443', ca: 'CA PEM', cert: 'CERT PEM', key: 'KEY PEM', insecure: true });
  expect(await c.auth.token()).toBe('one');
  await writeFile(join(dir, 'tok'), 'two');
  expect(await c.auth.token()).toBe('one');
  await clock.advance(60_000);
  expect(await c.auth.token()).toBe('two');
});

test.each([
  ['certificate-authority', { 'certificate-authority': 'missing-ca.crt' }, {}],
  ['client-certificate', {}, { 'client-certificate': 'missing-ca.crt' }],
  ['client-key', {}, { 'client-key': 'missing-ca.crt' }],
])('a %s file that cannot be read is a ConfigError naming it', async (what, cluster, user) => {
  const err = await configError(loadConnection({ kubeconfig: await kubeconfig(user, cluster) }, {}));
  expect(err).toMatchObject({ file: join(dir, 'missing-ca.crt'), field: '' });
  expect(err.problem).toMatch(new RegExp(`^cannot read ${what}: .*ENOENT`));
  expect(err.cause).toMatchObject({ code: 'ENOENT' });
});

test('a user with a client certificate and an exec plugin authenticates by certificate; the plugin never runs', async () => {
  await writeFile(join(dir, 'plugin'), `#!/bin/sh\necho run > '${dir}/ran'\nexit 1\n`);
  await chmod(join(dir, 'plugin'), 0o755);
  const file = await kubeconfig({ 'client-certificate-data': Buffer.from('CERT').toString('base64'), exec: { command: './plugin', apiVersion: 'client.authentication.k8s.io/v1' } });
  const c = await loadConnection({ kubeconfig: file }, process.env);
  expect(await c.auth.token()).toBeUndefined();
  await expect(readFile(join(dir, 'ran'), 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });
});

test('an exec plugin gets the cluster (server, CA read from its file, insecure), the agent\'s environment and the clock', async () => {
  await writeFile(join(dir, 'ca.crt'), 'CA PEM');
  await writeFile(join(dir, 'plugin'), [
    '#!/bin/sh',
    `printf '%s' "$KUBERNETES_EXEC_INFO" > '${dir}/info'`,
    `printf '%s' "$NPD_FROM_AGENT" > '${dir}/env'`,
    'printf \'{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"t-%s","expirationTimestamp":"2026-01-01T00:01:00Z"}}\' "$(date +%N)"',
  ].join('\n'));
  await chmod(join(dir, 'plugin'), 0o755);
  const file = await kubeconfig({ exec: { command: './plugin', apiVersion: 'client.authentication.k8s.io/v1', provideClusterInfo: true } },
    { 'certificate-authority': 'ca.crt', 'insecure-skip-tls-verify': true });
  const clock = createManualClock(Date.parse('2026-01-01T00:00:00Z'));
  const c = await loadConnection({ kubeconfig: file }, { PATH: process.env['PATH'], NPD_FROM_AGENT: 'yes' }, clock);
  const first = await c.auth.token();
  expect(JSON.parse(await readFile(join(dir, 'info'), 'utf8')).spec.cluster).toEqual({
    server: 'https://10.0.0.1:6443', 'certificate-authority-data': Buffer.from('CA PEM').toString('base64'), 'insecure-skip-tls-verify': true,
  });
  expect(await readFile(join(dir, 'env'), 'utf8')).toBe('yes');
  expect(await c.auth.token()).toBe(first);
  await clock.advance(50_000); // 10 s before the expiry on the connection's clock: run again
  expect(await c.auth.token()).not.toBe(first);
});

test('in-cluster: the token file is re-read on the given clock; an IPv4 host is not bracketed', async () => {
  const prefix = await serviceAccount('one');
  const clock = createManualClock();
  const c = await loadConnection({ inClusterPrefix: prefix }, { KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443' }, clock);
  expect(c).toMatchObject({ server: 'https://10.96.0.1:443', ca: 'SA CA', cert: undefined, key: undefined, insecure: false });
  await writeFile(join(dir, serviceAccountDir, 'token'), 'two');
  await clock.advance(60_000);
  expect(await c.auth.token()).toBe('two');
});

test('a host already in brackets is not bracketed again', async () => {
  const prefix = await serviceAccount('t');
  const c = await loadConnection({ inClusterPrefix: prefix }, { KUBERNETES_SERVICE_HOST: '[fd00::1]', KUBERNETES_SERVICE_PORT: '443' });
  expect(c.server).toBe('https://[fd00::1]:443');
});

test('a kubeconfig user with no token, certificate or plugin connects anonymously', async () => {
  const c = await loadConnection({ kubeconfig: await kubeconfig({}) }, {});
  expect(await c.auth.token()).toBeUndefined();
});

test('in-cluster with a host but no port: not running in a cluster', async () => {
  const err = await configError(loadConnection({}, { KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '' }));
  expect(err).toMatchObject({ file: '', field: 'KUBERNETES_SERVICE_HOST' });
  expect(err.message).toBe('KUBERNETES_SERVICE_HOST: not running in a cluster (KUBERNETES_SERVICE_HOST/PORT unset); pass --kubeconfig or --apiserver-override, or --standalone to run without a cluster');
});

test('in-cluster without a token or a CA: each a ConfigError naming its file', async () => {
  const env = { KUBERNETES_SERVICE_HOST: 'h', KUBERNETES_SERVICE_PORT: '443' };
  const noToken = await configError(loadConnection({ inClusterPrefix: dir }, env));
  expect(noToken).toMatchObject({ file: join(dir, serviceAccountDir, 'token'), field: '' });
  expect(noToken.problem).toMatch(/^no service account token: .*ENOENT/);
  const defaultPrefix = await configError(loadConnection({}, env));
  expect(noToken.cause).toMatchObject({ code: 'ENOENT' });
  expect(defaultPrefix.file).toBe('/var/run/secrets/kubernetes.io/serviceaccount/token');
  const prefix = await serviceAccount('t', null);
  const noCa = await configError(loadConnection({ inClusterPrefix: prefix }, env));
  expect(noCa).toMatchObject({ file: join(dir, serviceAccountDir, 'ca.crt') });
  expect(noCa.problem).toMatch(/^cannot read service account CA: /);
});

test.each([
  ['not a URI', 'not a uri', 'not a URI'],
  ['another scheme', 'ftp://10.0.0.1', 'scheme must be http or https, got ftp:'],
])('--apiserver-override %s', async (_name, uri, problem) => {
  const err = await configError(loadConnection({ apiserverOverride: uri }, {}));
  expect(err).toMatchObject({ file: 'command line', field: '--apiserver-override', problem });
  if (problem === 'not a URI') expect(err.cause).toBeDefined();
});

test('--apiserver-override: the URI\'s server replaces the kubeconfig\'s, whose own insecure flag is kept', async () => {
  const file = await kubeconfig({ token: 'kc' }, { 'insecure-skip-tls-verify': true });
  const c = await loadConnection({ apiserverOverride: `http://127.0.0.1:8080/ignored?inClusterConfig=false&auth=${file}` }, {});
  expect(c).toMatchObject({ server: 'http://127.0.0.1:8080', insecure: true });
  expect(await c.auth.token()).toBe('kc');
});

test('--apiserver-override with useServiceAccount: the service account\'s token, no CA (the URI\'s server is not its cluster)', async () => {
  const prefix = await serviceAccount('sa');
  const c = await loadConnection({ apiserverOverride: 'https://127.0.0.1:6443?inClusterConfig=false&useServiceAccount=true&insecure=true', inClusterPrefix: prefix }, {});
  expect(c).toMatchObject({ server: 'https://127.0.0.1:6443', ca: undefined, insecure: true });
  expect(await c.auth.token()).toBe('sa');
});

test('--apiserver-override without a kubeconfig or service account: anonymous, secure unless insecure=true', async () => {
  const c = await loadConnection({ apiserverOverride: 'https://127.0.0.1:6443?inClusterConfig=false&useServiceAccount=false' }, {});
  expect(c).toMatchObject({ server: 'https://127.0.0.1:6443', ca: undefined, cert: undefined, key: undefined, insecure: false });
  expect(await c.auth.token()).toBeUndefined();
});

test('--kubeconfig wins over the service account, which wins over $KUBECONFIG (its first non-empty path)', async () => {
  const prefix = await serviceAccount('sa');
  const flag = await kubeconfig({ token: 'flag' }, {}, 'flag-config');
  const fromEnv = await kubeconfig({ token: 'env' }, {}, 'env-config');
  const inCluster = { KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443', KUBECONFIG: fromEnv };
  expect(await (await loadConnection({ kubeconfig: flag, inClusterPrefix: prefix }, inCluster)).auth.token()).toBe('flag');
  expect(await (await loadConnection({ inClusterPrefix: prefix }, inCluster)).auth.token()).toBe('sa');
  expect(await (await loadConnection({}, { KUBECONFIG: `::${fromEnv}:${flag}` })).auth.token()).toBe('env');
});

test('nothing configured: the error says how to choose', async () => {
  const err = await configError(loadConnection({}, { KUBECONFIG: '::' }));
  expect(err).toMatchObject({ file: 'command line', field: '--kubeconfig' });
  expect(err.problem).toBe('no apiserver: not in a cluster and neither --kubeconfig, --apiserver-override nor $KUBECONFIG is set; use --standalone to run without a cluster');
});
