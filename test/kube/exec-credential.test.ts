/**
 * The exec credential plugin: parsing `users[].user.exec`, running a real plugin (a /bin/sh script
 * written to a temp dir, which appends to a `runs` file so each case can count its runs), caching
 * by expiry on a manual clock, invalidation, and every way a plugin can fail.
 */
import { chmod, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createManualClock } from '../../src/core/clock.js';
import { ConfigError } from '../../src/core/errors.js';
import { loadConnection } from '../../src/kube/connection.js';
import { execToken, parseExecCredential, type ExecTokenOptions } from '../../src/kube/exec-credential.js';
import { parseExecConfig, parseKubeconfig, type ExecConfig } from '../../src/kube/kubeconfig.js';

const v1 = 'client.authentication.k8s.io/v1';
const cred = (status: object, apiVersion = v1, kind = 'ExecCredential'): string => JSON.stringify({ apiVersion, kind, status });

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'npd-exec-'));
});

/** Writes an executable plugin at `rel` under the case's dir: it counts its run, then runs `body`. */
async function writePlugin(body: string, rel = 'plugin'): Promise<string> {
  const file = join(dir, rel);
  await mkdir(join(file, '..'), { recursive: true });
  await writeFile(file, `#!/bin/sh\necho run >> '${dir}/runs'\n${body}\n`);
  await chmod(file, 0o755);
  return file;
}

/** A plugin that prints `token-N` (N = its run number) with an optional expiry. */
const countingPlugin = (expiry?: string, rel = 'plugin'): Promise<string> =>
  writePlugin(`n=$(wc -l < '${dir}/runs' | tr -d ' ')\nprintf '{"apiVersion":"${v1}","kind":"ExecCredential","status":{"token":"token-%s"${expiry ? `,"expirationTimestamp":"${expiry}"` : ''}}}' "$n"`, rel);

const runs = async (): Promise<number> => (await readFile(join(dir, 'runs'), 'utf8').catch(() => '')).split('\n').filter(Boolean).length;

const config = (command: string, extra: object = {}): ExecConfig =>
  parseExecConfig({ command, apiVersion: v1, ...extra }, '/k/config', 'users[u].exec', '/k');

const source = (command: string, extra: object = {}, options: ExecTokenOptions = {}) => execToken(config(command, extra), { env: process.env, ...options });

test('the plugin gets its args without a shell, exec.env and KUBERNETES_EXEC_INFO; its token is returned', async () => {
  const cmd = await writePlugin(`printf '%s|%s|%s' "$#" "$1" "$NPD_GREETING" > '${dir}/seen'\nprintf '%s' "$KUBERNETES_EXEC_INFO" > '${dir}/info'\nprintf '%s' '${cred({ token: 'secret-1' })}'`);
  const t = source(cmd, { args: ['two words', '$HOME'], env: [{ name: 'NPD_GREETING', value: 'hello' }], provideClusterInfo: true }, {
    cluster: { server: 'https://10.0.0.1:6443', ca: 'CA PEM', insecure: true },
  });
  expect(await t.token()).toBe('secret-1');
  expect(await readFile(join(dir, 'seen'), 'utf8')).toBe('2|two words|hello');
  expect(JSON.parse(await readFile(join(dir, 'info'), 'utf8'))).toEqual({
    apiVersion: v1,
    kind: 'ExecCredential',
    spec: {
      interactive: false,
      cluster: { server: 'https://10.0.0.1:6443', 'certificate-authority-data': Buffer.from('CA PEM').toString('base64'), 'insecure-skip-tls-verify': true },
    },
  });
});

test('without provideClusterInfo the plugin is told only that it is not interactive', async () => {
  const cmd = await writePlugin(`printf '%s' "$KUBERNETES_EXEC_INFO" > '${dir}/info'\nprintf '%s' '${cred({ token: 't' }, 'client.authentication.k8s.io/v1beta1')}'`);
  const t = execToken(parseExecConfig({ command: cmd, apiVersion: 'client.authentication.k8s.io/v1beta1' }, '/k', 'f', '/'), {
    cluster: { server: 'https://s', ca: undefined, insecure: false },
  });
  expect(await t.token()).toBe('t');
  expect(JSON.parse(await readFile(join(dir, 'info'), 'utf8'))).toEqual({ apiVersion: 'client.authentication.k8s.io/v1beta1', kind: 'ExecCredential', spec: { interactive: false } });
});

test('a token without expiry is reused: one run for many calls', async () => {
  const t = source(await countingPlugin());
  for (let i = 0; i < 5; i++) expect(await t.token()).toBe('token-1');
  expect(await runs()).toBe(1);
});

test('concurrent calls share one run', async () => {
  const t = source(await countingPlugin());
  expect(await Promise.all(Array.from({ length: 8 }, () => t.token()))).toEqual(Array(8).fill('token-1'));
  expect(await runs()).toBe(1);
});

test('the plugin runs again 10 s before expirationTimestamp', async () => {
  const clock = createManualClock(Date.parse('2026-01-01T00:00:00Z'));
  const t = source(await countingPlugin('2026-01-01T00:05:00Z'), {}, { clock });
  expect(await t.token()).toBe('token-1');
  await clock.advance(289_999);
  expect(await t.token()).toBe('token-1');
  await clock.advance(1);
  expect(await t.token()).toBe('token-2');
  expect(await runs()).toBe(2);
});

test('invalidate() (a 401) runs the plugin again', async () => {
  const t = source(await countingPlugin());
  expect(await t.token()).toBe('token-1');
  t.invalidate();
  expect(await t.token()).toBe('token-2');
  expect(await t.token()).toBe('token-2');
});

test.each([
  ['exit 1 with stderr', `echo 'first line' >&2\necho 'error: login expired' >&2\nexit 1`, /plugin: exited with code 1; stderr: first line \| error: login expired$/],
  ['stdout not JSON', `echo 'why hello' >&2\necho 'token: leaked-secret'`, /plugin: stdout is not JSON; stderr: why hello$/],
  ['wrong apiVersion', `printf '%s' '${cred({ token: 'leaked-secret' }, 'client.authentication.k8s.io/v1beta1')}'`,
    /apiVersion must be client\.authentication\.k8s\.io\/v1 \(as configured\), got "client\.authentication\.k8s\.io\/v1beta1"$/],
  ['wrong kind', `printf '%s' '${cred({ token: 'leaked-secret' }, v1, 'Status')}'`, /kind must be ExecCredential, got "Status"$/],
  ['certificate only', `printf '%s' '${cred({ clientCertificateData: 'PEM', clientKeyData: 'KEY' })}'`, /returned a client certificate; only token credentials are supported$/],
  ['no token', `printf '%s' '${cred({})}'`, /no status\.token$/],
  ['bad expirationTimestamp', `printf '%s' '${cred({ token: 'leaked-secret', expirationTimestamp: 'tomorrow' })}'`, /not an RFC 3339 time: "tomorrow"$/],
  ['output over the cap', `head -c 5000 /dev/zero | tr '\\0' x`, /output too large; killed$/],
])('a failing plugin (%s) is a ConfigError naming the command, and is not cached', async (_name, body, problem) => {
  const cmd = await writePlugin(body);
  const t = source(cmd, {}, { maxOutputBytes: 1000 });
  for (const run of [1, 2]) {
    const err = await t.token().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect(err).toMatchObject({ file: '/k/config', field: 'users[u].exec' });
    expect((err as Error).message).toContain(`credential plugin ${cmd}: `);
    expect((err as Error).message).toMatch(problem);
    expect((err as Error).message).not.toContain('leaked-secret');
    expect(await runs()).toBe(run);
  }
});

test('a hung plugin is killed after timeoutMs', async () => {
  const cmd = await writePlugin('exec sleep 30');
  const err = await source(cmd, {}, { timeoutMs: 300 }).token().catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ConfigError);
  expect((err as Error).message).toBe(`/k/config: users[u].exec: credential plugin ${cmd}: timed out after 300 ms; killed`);
});

test('a missing command says so, with the installHint', async () => {
  const err = await source(join(dir, 'nope'), { installHint: 'install it with: apt install nope' }).token().catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ConfigError);
  expect((err as Error).message).toContain(`credential plugin ${join(dir, 'nope')}: command not found (install it with: apt install nope)`);
});

test.each([
  ['no expiry', { token: 't' }, { token: 't', expiresAtMs: undefined }],
  ['an expiry', { token: 't', expirationTimestamp: '2026-01-01T00:05:00Z' }, { token: 't', expiresAtMs: Date.parse('2026-01-01T00:05:00Z') }],
  ['a null expiry', { token: 't', expirationTimestamp: null }, { token: 't', expiresAtMs: undefined }],
])('parseExecCredential: %s', (_name, status, want) => {
  expect(parseExecCredential(cred(status), v1)).toEqual(want);
});

test.each([
  ['missing command', { apiVersion: v1 }, 'users[u].exec.command', 'missing'],
  ['missing apiVersion', { command: 'p' }, 'users[u].exec.apiVersion', 'got null'],
  ['removed v1alpha1', { command: 'p', apiVersion: 'client.authentication.k8s.io/v1alpha1' }, 'users[u].exec.apiVersion', 'v1alpha1'],
  ['interactiveMode Always', { command: 'p', apiVersion: v1, interactiveMode: 'Always' }, 'users[u].exec.interactiveMode', 'never has one'],
  ['unknown interactiveMode', { command: 'p', apiVersion: v1, interactiveMode: 'Sometimes' }, 'users[u].exec.interactiveMode', '"Sometimes"'],
  ['args not strings', { command: 'p', apiVersion: v1, args: ['a', 1] }, 'users[u].exec.args', 'list of strings'],
  ['env without a value', { command: 'p', apiVersion: v1, env: [{ name: 'A', value: 'x' }, { name: 'B' }] }, 'users[u].exec.env[1]', 'name and a string value'],
])('parseKubeconfig: exec with %s is a ConfigError', async (_name, exec, field, problem) => {
  const text = JSON.stringify({
    'current-context': 'c',
    contexts: [{ name: 'c', context: { cluster: 'k', user: 'u' } }],
    clusters: [{ name: 'k', cluster: { server: 'https://s' } }],
    users: [{ name: 'u', user: { exec } }],
  });
  const err = await parseKubeconfig(text, '/k/config').catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ConfigError);
  expect(err).toMatchObject({ file: '/k/config', field });
  expect((err as ConfigError).problem).toContain(problem);
});

test.each([
  ['a relative path, against the kubeconfig dir', 'bin/plugin', '/etc/kube/bin/plugin'],
  ['./ too', './plugin', '/etc/kube/plugin'],
  ['an absolute path, as is', '/usr/bin/plugin', '/usr/bin/plugin'],
  ['a bare name, left to PATH', 'gke-gcloud-auth-plugin', 'gke-gcloud-auth-plugin'],
])('exec.command: %s', (_name, command, want) => {
  expect(parseExecConfig({ command, apiVersion: v1, interactiveMode: 'IfAvailable' }, '/etc/kube/config', 'f', '/etc/kube').command).toBe(want);
});

const kubeconfigWith = (user: object): string => JSON.stringify({
  'current-context': 'c',
  contexts: [{ name: 'c', context: { cluster: 'k', user: 'u' } }],
  clusters: [{ name: 'k', cluster: { server: 'https://127.0.0.1:6443' } }],
  users: [{ name: 'u', user }],
});

test('loadConnection: a relative command runs from the kubeconfig dir, whatever the cwd', async () => {
  await countingPlugin(undefined, 'bin/plugin');
  await writeFile(join(dir, 'config'), kubeconfigWith({ exec: { command: './bin/plugin', apiVersion: v1 } }));
  const c = await loadConnection({ kubeconfig: join(dir, 'config') }, process.env);
  expect(await c.auth.token()).toBe('token-1');
});

test('loadConnection: a bare command is looked up on the agent\'s PATH', async () => {
  await countingPlugin(undefined, 'bin/npd-test-plugin');
  await writeFile(join(dir, 'config'), kubeconfigWith({ exec: { command: 'npd-test-plugin', apiVersion: v1 } }));
  const c = await loadConnection({ kubeconfig: join(dir, 'config') }, { ...process.env, PATH: `${join(dir, 'bin')}:${process.env['PATH'] ?? ''}` });
  expect(await c.auth.token()).toBe('token-1');
});

test('loadConnection: a token in the kubeconfig wins over the plugin, as in client-go', async () => {
  await countingPlugin();
  await writeFile(join(dir, 'config'), kubeconfigWith({ token: 'static', exec: { command: './plugin', apiVersion: v1 } }));
  const c = await loadConnection({ kubeconfig: join(dir, 'config') }, process.env);
  expect(await c.auth.token()).toBe('static');
  expect(await runs()).toBe(0);
});
