/**
 * The process around `execute`: src/app/npd.ts, the executable, run built as a child process the way
 * an operator runs it. SIGTERM and SIGINT stop `npd run` cleanly with status 0, also while it still
 * waits for the apiserver, and end the other commands at once; the package's own monitors are found from the file, not the working
 * directory; results go to stdout, errors to stderr, with the documented exit statuses; the
 * linear-time regexp engine is on without any Node flag. SIGUSR1: inspector-signal.test.ts.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, runCli, startCli, type CliProcess } from '../helpers/cli.js';
import { procFixture } from '../helpers/fixtures.js';
import { kernLogMonitor, oomRule } from '../helpers/monitor-files.js';
import { freePort } from '../helpers/net.js';

const dir = mkdtempSync(join(tmpdir(), 'npd-entry-'));
const logPath = join(dir, 'kern.log');
const monitorPath = join(dir, 'kernel-monitor.json');
writeFileSync(logPath, '');
writeFileSync(monitorPath, kernLogMonitor(logPath, { rules: [oomRule] }));
const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;

/** Sends `signal` to the running agent and resolves to how the process ended. */
async function stopWith(npd: CliProcess, signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  await npd.waitFor((_o, e) => e.includes('npd-ts running'), 30_000, 'startup');
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => npd.child.once('exit', (code, sig) => r({ code, signal: sig })));
  npd.child.kill(signal);
  return ended;
}
const records = (stderr: string): { level: string; msg: string }[] =>
  stderr.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { level: string; msg: string });

test.each(['SIGTERM', 'SIGINT'] as const)('%s stops npd run cleanly: "stopping" logged, no error, exit status 0', async (signal) => {
  const npd = startCli(['run', '--standalone', `--config.system-log-monitor=${monitorPath}`, '--port=0', '--prometheus-port=0', '--no-reload']);
  expect(await stopWith(npd, signal)).toEqual({ code: 0, signal: null });
  const logged = records(npd.stderr());
  expect(logged.map((r) => r.msg)).toContain('stopping');
  expect(logged.filter((r) => r.level === 'error')).toEqual([]);
}, 60_000);

test('SIGTERM while npd run still waits for the apiserver (5 m by default) stops it with status 0', async () => {
  // An apiserver address where nothing listens: the exporter keeps retrying while the monitors run.
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, JSON.stringify({
    apiVersion: 'v1', kind: 'Config', 'current-context': 'c',
    clusters: [{ name: 'k', cluster: { server: `https://127.0.0.1:${await freePort()}`, 'insecure-skip-tls-verify': true } }],
    users: [{ name: 'u', user: { token: 't' } }],
    contexts: [{ name: 'c', context: { cluster: 'k', user: 'u' } }],
  }));
  const npd = startCli(['run', `--kubeconfig=${kubeconfig}`, '--hostname-override=entry-node', `--config.system-log-monitor=${monitorPath}`, '--port=0', '--prometheus-port=0', '--no-reload']);
  expect(await stopWith(npd, 'SIGTERM')).toEqual({ code: 0, signal: null });
  expect(records(npd.stderr()).map((r) => r.msg)).toContain('stopping');
}, 60_000);

test.each(['SIGINT', 'SIGTERM'] as const)('%s ends npd replay at once, as Node\'s default does (only npd run stops cleanly)', async (signal) => {
  // A FIFO with no writer yet: replay blocks reading it. Opening it for writing returns once replay has opened it.
  const fifo = join(dir, `replay-${signal}.fifo`);
  execFileSync('mkfifo', [fifo]);
  const npd = startCli(['replay', '--monitor', monitorPath, fifo]);
  const writer = await open(fifo, 'w');
  try {
    await writer.write('Jan  1 00:00:00 node kernel: [1.0] a line before the signal\n');
    const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => npd.child.once('exit', (code, sig) => r({ code, signal: sig })));
    npd.child.kill(signal);
    expect(await ended).toEqual({ code: null, signal });
  } finally {
    await writer.close();
  }
}, 60_000);

test('--version prints package.json\'s version on stdout, from any working directory', async () => {
  expect(await runCli(['--version'], { cwd: dir })).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
});

test('the default profile\'s monitors are the package\'s own, from any working directory: a problem found, exit 1', async () => {
  const r = await runCli(['check', '--proc-path', procFixture('fd-pressure')], { cwd: dir });
  expect(r.stdout).toMatch(/^FDPressure\s+PROBLEM\s/m);
  expect(r.code).toBe(1);
});

test.each<[string, string[], number, RegExp]>([
  ['all OK', ['--proc-path', procFixture('fd-ok')], 0, /^FDPressure\s+OK\s/m],
  ['a check that could not run', ['--proc-path', join(dir, 'no-proc')], 3, /^1 check: 0 problems, 1 unknown$/m],
])('npd check, %s (%j): the table on stdout, nothing on stderr, exit %i', async (_what, argv, code, table) => {
  const r = await runCli(['check', `--config.custom-plugin-monitor=${join(repoRoot, 'monitors/fd-monitor.json')}`, ...argv]);
  expect(r.stdout).toMatch(table);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(code);
});

test('a usage error is one line on stderr, nothing on stdout, exit 2', async () => {
  expect(await runCli(['check', '--bogus'])).toEqual({ code: 2, stdout: '', stderr: 'npd: command line: --bogus: unknown flag (see npd check --help)\n' });
});

test('rule patterns compile on the linear-time engine without any Node flag (the executable turns it on)', async () => {
  const r = await runCli(['validate', join(repoRoot, 'monitors/kernel-monitor.json')], { flags: [] });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
});
