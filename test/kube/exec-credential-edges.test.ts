/**
 * The exec credential plugin at its edges: what `KUBERNETES_EXEC_INFO` holds for each cluster, every
 * malformed ExecCredential, how each way a run can fail is worded, the stderr tail, a plugin that reads
 * stdin or ignores SIGTERM, and the defaults. Real /bin/sh plugins in a temp dir.
 */
import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createManualClock } from '../../src/core/clock.js';
import { ConfigError } from '../../src/core/errors.js';
import { execInfo, execToken, parseExecCredential, type ExecTokenOptions } from '../../src/kube/exec-credential.js';
import { parseExecConfig, type ExecConfig } from '../../src/kube/kubeconfig.js';

const v1 = 'client.authentication.k8s.io/v1';
/** A shell line printing an ExecCredential whose token is the shell word `t` (`$VAR` expands). */
const token = (t: string, extra = ''): string => `printf '{"apiVersion":"${v1}","kind":"ExecCredential","status":{"token":"%s"${extra}}}' "${t}"`;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'npd-exec-edge-'));
});

const config = (command: string, extra: object = {}): ExecConfig => parseExecConfig({ command, apiVersion: v1, ...extra }, '/k/config', 'users[u].exec', '/k');

async function plugin(body: string): Promise<string> {
  const file = join(dir, 'plugin');
  await writeFile(file, `#!/bin/sh\n${body}\n`);
  await chmod(file, 0o755);
  return file;
}

const failure = async (cmd: string, extra: object = {}, options: ExecTokenOptions = {}): Promise<string> => {
  const err = await execToken(config(cmd, extra), { env: process.env, ...options }).token().catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ConfigError);
  expect(err).toMatchObject({ file: '/k/config', field: 'users[u].exec' });
  return (err as ConfigError).problem;
};

test.each([
  ['provideClusterInfo without a cluster given', { provideClusterInfo: true }, undefined, { interactive: false }],
  ['no CA, secure', { provideClusterInfo: true }, { server: 'https://s', ca: undefined, insecure: false }, { interactive: false, cluster: { server: 'https://s' } }],
  ['a cluster given, not asked for', {}, { server: 'https://s', ca: 'CA', insecure: true }, { interactive: false }],
])('execInfo: %s', (_name, extra, cluster, spec) => {
  expect(JSON.parse(execInfo(config('p', extra), cluster))).toEqual({ apiVersion: v1, kind: 'ExecCredential', spec });
});

test.each([
  ['an array', '[]', 'stdout is not a JSON object'],
  ['null', 'null', 'stdout is not a JSON object'],
  ['a number', '3', 'stdout is not a JSON object'],
  ['no kind', JSON.stringify({ apiVersion: v1 }), 'kind must be ExecCredential, got null'],
  ['no apiVersion', JSON.stringify({ kind: 'ExecCredential' }), `apiVersion must be ${v1} (as configured), got null`],
  ['a status that is a string', JSON.stringify({ kind: 'ExecCredential', apiVersion: v1, status: 'ok' }), 'no status'],
  ['no status', JSON.stringify({ kind: 'ExecCredential', apiVersion: v1 }), 'no status'],
  ['an empty token', JSON.stringify({ kind: 'ExecCredential', apiVersion: v1, status: { token: '' } }), 'no status.token'],
  ['a token that is a number', JSON.stringify({ kind: 'ExecCredential', apiVersion: v1, status: { token: 5 } }), 'no status.token'],
  ['only a client key', JSON.stringify({ kind: 'ExecCredential', apiVersion: v1, status: { clientKeyData: 'K' } }), 'returned a client certificate; only token credentials are supported'],
  ['only a client certificate', JSON.stringify({ kind: 'ExecCredential', apiVersion: v1, status: { clientCertificateData: 'C' } }), 'returned a client certificate; only token credentials are supported'],
  ['an expiry that is a number', JSON.stringify({ kind: 'ExecCredential', apiVersion: v1, status: { token: 't', expirationTimestamp: 1767225600 } }),
    'status.expirationTimestamp is not an RFC 3339 time: 1767225600'],
  // V8 would read the digits as a year: only a string is parsed.
  ['an expiry that is a small number', JSON.stringify({ kind: 'ExecCredential', apiVersion: v1, status: { token: 't', expirationTimestamp: 5 } }),
    'status.expirationTimestamp is not an RFC 3339 time: 5'],
])('parseExecCredential: %s', (_name, text, problem) => {
  expect(parseExecCredential(text, v1)).toEqual({ problem });
});

test.each([
  ['a missing command without an install hint', async () => join(dir, 'nope'), 'command not found'],
  ['a command that is not executable', async () => {
    await writeFile(join(dir, 'plain'), '#!/bin/sh\n');
    return join(dir, 'plain');
  }, 'cannot run: EACCES'],
  ['a plugin killed by a signal', async () => plugin('kill -TERM $$'), 'killed by SIGTERM'],
  ['an exit status', async () => plugin('exit 3'), 'exited with code 3'],
])('%s is worded for the operator', async (_name, make, problem) => {
  const cmd = await make();
  expect(await failure(cmd)).toBe(`credential plugin ${cmd}: ${problem}`);
});

test('the stderr tail: trimmed, its lines joined, cut to the last 300 characters', async () => {
  const long = `${'a'.repeat(100)}${'b'.repeat(300)}`;
  const cmd = await plugin(`printf '  \\n one \\n\\n  two  \\n' >&2\nexit 1`);
  expect(await failure(cmd)).toBe(`credential plugin ${cmd}: exited with code 1; stderr: one | two`);
  const cut = await plugin(`printf '%s' '${long}' >&2\nexit 1`);
  expect(await failure(cut)).toBe(`credential plugin ${cut}: exited with code 1; stderr: …${'b'.repeat(300)}`);
  const exact = await plugin(`printf '%s' '${'c'.repeat(300)}' >&2\nexit 1`);
  expect(await failure(exact)).toBe(`credential plugin ${exact}: exited with code 1; stderr: ${'c'.repeat(300)}`);
});

test('stdin is closed: a plugin that reads it gets end-of-file at once', async () => {
  const cmd = await plugin(`cat > /dev/null\n${token('after-eof')}`);
  expect(await execToken(config(cmd), { env: process.env, timeoutMs: 60_000 }).token()).toBe('after-eof');
});

test('a plugin that ignores SIGTERM is still killed at the timeout', async () => {
  const cmd = await plugin("trap '' TERM\nexec sleep 30");
  expect(await failure(cmd, {}, { timeoutMs: 300 })).toBe(`credential plugin ${cmd}: timed out after 300 ms; killed`);
});

test('by default up to 1 MiB of output is read', async () => {
  const cmd = await plugin(`printf '%s' '{"apiVersion":"${v1}","kind":"ExecCredential","status":{"token":"big"},"pad":"'\nhead -c 1000000 /dev/zero | tr '\\0' x\nprintf '"}'`);
  expect(await execToken(config(cmd), { env: process.env }).token()).toBe('big');
  const over = await plugin('head -c 1100000 /dev/zero | tr \'\\0\' x');
  expect(await failure(over)).toBe(`credential plugin ${over}: output too large; killed`);
});

test('the plugin runs with the agent\'s environment by default', async () => {
  process.env['NPD_EXEC_EDGE'] = 'from-agent';
  try {
    const cmd = await plugin(token('$NPD_EXEC_EDGE'));
    const t = execToken(config(cmd));
    expect(await t.token()).toBe('from-agent');
  } finally {
    delete process.env['NPD_EXEC_EDGE'];
  }
});

test('by default the token is renewed 10 s before it expires, on the given clock', async () => {
  const cmd = await plugin(`n=$(cat '${dir}/n' 2>/dev/null || echo 0); n=$((n+1)); echo $n > '${dir}/n'\n${token('t-$n', ',"expirationTimestamp":"2026-01-01T00:01:00Z"')}`);
  const clock = createManualClock(Date.parse('2026-01-01T00:00:00Z'));
  const t = execToken(config(cmd), { env: process.env, clock });
  expect(await t.token()).toBe('t-1');
  await clock.advance(49_999);
  expect(await t.token()).toBe('t-1');
  await clock.advance(1);
  expect(await t.token()).toBe('t-2');
});
