/**
 * Configuration errors go to the container log: the built CLI names the file, line and field of a
 * broken kubeconfig or profile and never prints its content (a token, a client key, /etc/passwd).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'npd-secrets-'));
const token = 'eyJhbGciOiJSUzI1NiJ9.TOKEN-SECRET-4711';
const key = 'LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0tKEY-SECRET-0815';
const kubeconfig = join(dir, 'kubeconfig');
writeFileSync(kubeconfig, [
  'apiVersion: v1',
  'kind: Config',
  'current-context: c',
  'contexts: [{name: c, context: {cluster: k, user: u}}]',
  'clusters: [{name: k, cluster: {server: "https://127.0.0.1:1"}}]',
  'users:',
  '- name: u',
  '  user:',
  `    token: ${token}`,
  `    client-key-data: ${key}`,
  '   broken: [ line',
].join('\n'));
const passwd = join(dir, 'passwd');
writeFileSync(passwd, 'root:x:0:0:root:/root:/bin/bash\nops:PASSWD-SECRET-42:1000:1000::/home/ops:/bin/sh\n');
const monitor = join(dir, 'monitor.json');
writeFileSync(monitor, JSON.stringify({ plugin: 'filelog', pluginConfig: { timestamp: '^.{15}', message: '(.*)', timestampFormat: 'Jan _2 15:04:05' }, logPath: join(dir, 'kern.log'), source: 's', conditions: [], rules: [] }));

test.each([
  ['a kubeconfig with a broken line after the token and key', ['run', `--kubeconfig=${kubeconfig}`, `--config.system-log-monitor=${monitor}`, '--port=0', '--prometheus-port=0'], `npd: ${kubeconfig}: not YAML at line 11, column 4: bad indentation of a mapping entry`],
  ['a profile that is a passwd file', ['run', '--standalone', `--profile=${passwd}`, '--port=0', '--prometheus-port=0'], `npd: ${passwd}: invalid JSON at line 1, column 1: expected a value`],
])('%s: exit 2, one line naming file and line, no content', async (_name, args, line) => {
  const r = await runCli(args);
  expect(r.code).toBe(2);
  expect(r.stderr.trim()).toBe(line);
  for (const secret of ['SECRET', 'root:x', 'token:', 'client-key-data']) expect(r.stderr + r.stdout).not.toContain(secret);
});
