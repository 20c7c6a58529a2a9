/**
 * The CLI as an operator meets it: exit codes, one-line configuration errors (no stack traces),
 * `validate`, `replay`, and `--version`.
 */
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, runCli } from '../helpers/cli.js';
import { corpusDir as corpus } from '../helpers/fixtures.js';
import { kernLogMonitor, type RuleSpec } from '../helpers/monitor-files.js';
import { withTakenPort } from '../helpers/net.js';

const dir = mkdtempSync(join(tmpdir(), 'npd-cli-'));
const write = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const logMonitor = (rules: readonly RuleSpec[], extra: Record<string, unknown> = {}): string => kernLogMonitor(join(dir, 'kern.log'), { rules, extra });


test('--version prints the package version', async () => {
  const r = await runCli(['--version']);
  expect(r.code).toBe(0);
  expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
});

test('validate accepts every shipped monitor (probe options included)', async () => {
  // kernel-monitor.json (kmsg) and kernel-monitor-filelog.json are alternatives sharing condition
  // types: validated together they are refused (test/config/condition-owners.test.ts).
  const files = readdirSync(join(repoRoot, 'monitors')).map((f) => join(repoRoot, 'monitors', f));
  for (const set of [files.filter((f) => !f.endsWith('/kernel-monitor.json')), files.filter((f) => f.endsWith('/kernel-monitor.json'))]) {
    const r = await runCli(['validate', ...set]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  }
});

test.each([
  ['bad JSON', '{"plugin": "kmsg", ', /bad\.json: .*(JSON|json)/],
  ['unknown plugin', JSON.stringify({ plugin: 'dmesg', source: 's', rules: [] }), /bad\.json: plugin: .*dmesg.*kmsg/],
  ['regex that does not compile', logMonitor([{ type: 'temporary', reason: 'X', pattern: 'a(b' }]), /bad\.json: rules\[0\]\.pattern: /],
  ['permanent rule without a condition default', logMonitor([{ type: 'permanent', condition: 'Nope', reason: 'X', pattern: 'x' }]), /bad\.json: rules\[0\]\.condition: .*Nope/],
  ['wrong type', logMonitor([], { bufferSize: 'ten' }), /bad\.json: bufferSize: /],
  [
    'a built-in probe option out of range',
    JSON.stringify({ plugin: 'custom', source: 'fd', conditions: [{ type: 'FDPressure', reason: 'NodeHasNoFDPressure' }], rules: [{ type: 'permanent', condition: 'FDPressure', reason: 'NodeHasFDPressure', probe: 'fd', options: { thresholdPercent: 150 } }] }),
    /bad\.json: rules\[0\]\.options\.thresholdPercent: /,
  ],
  [
    'a plugin that does not exist',
    JSON.stringify({ plugin: 'custom', source: 'x', rules: [{ type: 'temporary', reason: 'X', path: '/nonexistent/check.sh' }] }),
    /bad\.json: rules\[0\]\.path: no such file: \/nonexistent\/check\.sh$/m,
  ],
  [
    'a plugin that is a directory',
    JSON.stringify({ plugin: 'custom', source: 'x', rules: [{ type: 'temporary', reason: 'X', path: '/tmp' }] }),
    /bad\.json: rules\[0\]\.path: is a directory, not an executable: \/tmp$/m,
  ],
  [
    'an unknown built-in probe',
    JSON.stringify({ plugin: 'custom', source: 'x', rules: [{ type: 'temporary', reason: 'X', probe: 'fdd' }] }),
    /bad\.json: rules\[0\]\.probe: unknown probe "fdd"/,
  ],
])('validate rejects %s with one line naming file and field, exit 2', async (_name, text, expected) => {
  const file = write('bad.json', text);
  const r = await runCli(['validate', file]);
  expect(r.code).toBe(2);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(expected);
  expect(r.stderr).not.toMatch(/\n\s+at /);
});

test('run with a broken monitor file exits 2 with one line, before touching anything', async () => {
  const file = write('broken.json', logMonitor([{ type: 'temporary', reason: 'X', pattern: '(?<' }]));
  const r = await runCli(['run', '--standalone', '--no-reload', '--port=0', '--prometheus-port=0', `--config.system-log-monitor=${file}`]);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/^npd: .*broken\.json: rules\[0\]\.pattern: /m);
  expect(r.stderr).not.toMatch(/\n\s+at /);
});

test('a bad flag value is a one-line error with exit 2', async () => {
  const r = await runCli(['run', '--standalone', '--apiserver-wait-timeout=soon']);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/--apiserver-wait-timeout: must be a duration/);
});

test('replay prints the problems of a log file with the rule that fired', async () => {
  const r = await runCli(['replay', '--monitor', join(repoRoot, 'monitors/kernel-monitor.json'), join(corpus, 'npd-upstream/npd-kernel-log-generator-docker_hung.log')]);
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/TaskHung/);
  expect(r.stdout).toMatch(/DockerHung/);
  expect(r.stdout).toMatch(/KernelDeadlock/);
  expect(r.stdout).toMatch(/task docker:\d+ blocked for more than \d+ seconds/);
});

describe('exit statuses: 0 ok, 1 a problem, 2 usage or configuration, 3 could not check', () => {
  test.each<[string, string[], number, RegExp]>([
    ['an unknown command', ['frobnicate'], 2, /^npd: command line: frobnicate: no such command \(commands: run, check, replay, validate/],
    ['an unknown flag of check', ['check', '--bogus'], 2, /^npd: command line: --bogus: unknown flag/],
    ['an empty port', ['run', '--standalone', '--port='], 2, /^npd: command line: --port: must be a port number 0–65535 \(0 disables\), got ""$/],
    ['a hexadecimal port', ['run', '--standalone', '--prometheus-port=0x50'], 2, /^npd: command line: --prometheus-port: .*got "0x50"$/],
    ['a directory given to replay', ['replay', '--monitor', join(repoRoot, 'monitors/kernel-monitor.json'), dir], 2, new RegExp(`^npd: ${dir}: cannot read log file: is a directory`)],
    ['a missing log file', ['replay', '--monitor', join(repoRoot, 'monitors/kernel-monitor.json'), join(dir, 'nope.log')], 2, /^npd: .*nope\.log: cannot read log file: no such file$/],
    ['no cluster and no --standalone', ['run', '--port=0', '--prometheus-port=0', '--no-reload'], 2, /^npd: command line: --kubeconfig: no apiserver: .*use --standalone to run without a cluster$/],
  ])('%s', async (_what, args, code, line) => {
    const r = await runCli(args, { env: { KUBECONFIG: '', KUBERNETES_SERVICE_HOST: '' } });
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr.trimEnd()).toMatch(line);
    expect(r.code).toBe(code);
  });

  test('npd check on a root without its inputs exits 3 (could not check), not 0', async () => {
    const r = await runCli(['check', '--proc-path', join(dir, 'nonexistent'), `--config.custom-plugin-monitor=${join(repoRoot, 'monitors/fd-monitor.json')}`]);
    expect(r.stdout).toMatch(/^1 check: 0 problems, 1 unknown$/m);
    expect(r.code).toBe(3);
  });

  test('--help shows durations as an operator writes them', async () => {
    const r = await runCli(['run', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--k8s-exporter-heartbeat-period <duration> +NPD: re-send conditions this often \(default: 5m\)/);
    expect(r.stdout).not.toContain('300000');
  });
});

test('a port in use exits 2 with one line, before any monitor starts or anything is written', async () => {
  await withTakenPort(async (port) => {
    const file = write('ok.json', logMonitor([{ type: 'temporary', reason: 'X', pattern: 'x' }]));
    writeFileSync(join(dir, 'kern.log'), '');
    for (const args of [[`--port=${port}`, '--prometheus-port=0'], ['--port=0', `--prometheus-port=${port}`]]) {
      const r = await runCli(['run', '--standalone', '--no-reload', '--log-level=debug', `--config.system-log-monitor=${file}`, ...args]);
      expect(r.code).toBe(2);
      const flag = args[0]?.startsWith(`--port=${port}`) ? '--port' : '--prometheus-port';
      expect(r.stderr.trimEnd().split('\n').filter((l) => l.startsWith('npd: '))).toEqual([`npd: command line: ${flag}: cannot listen on 127.0.0.1:${port}: the port is already in use (EADDRINUSE)`]);
      expect(r.stderr).not.toContain('monitor started');
    }
  });
});
