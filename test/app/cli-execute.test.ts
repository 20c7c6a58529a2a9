/**
 * The commands in-process through `execute` (what the built `npd` runs): each command's exit status
 * and where it prints, with the output captured instead of the process's stdout and stderr.
 * test/app/cli.test.ts runs the same through the built CLI as a child process, and
 * test/integration/cli-entry.test.ts the process around `execute` (signals, package root, exit status).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execute, exitCodes } from '../../src/app/cli.js';
import { repoRoot } from '../helpers/cli.js';
import { corpusPath, procFixture } from '../helpers/fixtures.js';
import { kernLogMonitor, oomRule } from '../helpers/monitor-files.js';
import { fixtureContainersLogDir, fixturePodsLogDir, oomFixture } from '../pods/oom-fixtures.js';

// The package's own monitors/ and config/; a version of its own, to tell it from package.json's.
const paths = { root: repoRoot, version: '9.8.7-test' };

async function npd(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const output = { out: (t: string) => void (out += t), err: (t: string) => void (err += t) };
  const code = await execute(argv, { stopSignal: () => new AbortController().signal, output, paths });
  return { code, out, err };
}

const dir = mkdtempSync(join(tmpdir(), 'npd-cli-'));
const fdMonitor = `--config.custom-plugin-monitor=${join(repoRoot, 'monitors/fd-monitor.json')}`;

test('--version prints the version it is given on stdout, exit 0', async () => {
  expect(await npd('--version')).toEqual({ code: 0, out: '9.8.7-test\n', err: '' });
});

test.each<[string, string, number, RegExp]>([
  ['all OK', 'fd-ok', exitCodes.ok, /^FDPressure\s+OK\s/m],
  ['a problem', 'fd-pressure', exitCodes.problem, /^FDPressure\s+PROBLEM\s/m],
  ['could not check', 'does-not-exist', exitCodes.unknown, /^1 check: 0 problems, 1 unknown$/m],
])('check, %s (proc fixture %s): exit %i, the table on stdout', async (_what, proc, code, table) => {
  const r = await npd('check', '--proc-path', procFixture(proc), fdMonitor);
  expect(r.code).toBe(code);
  expect(r.out).toMatch(table);
  expect(r.out).toMatch(/[^\n]\n$/);
  expect(r.err).toBe('');
});

test('check logs where its errors go, at the level asked for: a plugin\'s stderr at debug', async () => {
  const plugin = join(dir, 'noisy-plugin.sh');
  writeFileSync(plugin, '#!/bin/sh\necho a note from the plugin >&2\nexit 0\n', { mode: 0o755 });
  const monitor = join(dir, 'noisy-monitor.json');
  writeFileSync(monitor, JSON.stringify({ plugin: 'custom', source: 'noisy', conditions: [], rules: [{ type: 'temporary', reason: 'Noisy', path: plugin }] }));
  const atInfo = await npd('check', `--config.custom-plugin-monitor=${monitor}`);
  expect(atInfo).toMatchObject({ code: exitCodes.ok, err: '' });
  const atDebug = await npd('check', '--log-level=debug', `--config.custom-plugin-monitor=${monitor}`);
  expect(atDebug.code).toBe(exitCodes.ok);
  const records = atDebug.err.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(records).toContainEqual(expect.objectContaining({ level: 'debug', msg: 'plugin stderr', stderr: 'a note from the plugin' }));
});

test('check --json prints JSON', async () => {
  const r = await npd('check', '--json', '--proc-path', procFixture('fd-pressure'), fdMonitor);
  expect(JSON.parse(r.out)).toMatchObject({ problems: 1, results: [{ name: 'FDPressure', status: 'problem' }] });
});

test('an unknown flag of check names check\'s own help, exit 2 with one line on stderr', async () => {
  const r = await npd('check', '--bogus');
  expect(r).toEqual({ code: exitCodes.usage, out: '', err: 'npd: command line: --bogus: unknown flag (see npd check --help)\n' });
});

test('an unknown flag of run (the default command) names npd run --help', async () => {
  expect((await npd('--bogus')).err).toBe('npd: command line: --bogus: unknown flag (see npd run --help)\n');
});

test('validate: the messages on stdout when every file is valid, on stderr with exit 2 when one is not', async () => {
  const good = await npd('validate', join(repoRoot, 'monitors/kernel-monitor.json'));
  expect(good.code).toBe(exitCodes.ok);
  expect(good.out).toMatch(/kernel-monitor\.json/);
  expect(good.err).toBe('');
  const broken = join(dir, 'broken.json');
  writeFileSync(broken, '{"plugin":"kmsg","source":"x","rules":[{"type":"temporary","reason":"R"}]}');
  const bad = await npd('validate', broken);
  expect(bad.code).toBe(exitCodes.usage);
  expect(bad.out).toBe('');
  expect(bad.err).toMatch(/broken\.json/);
});

test('validate checks that a plugin path is there', async () => {
  const file = join(dir, 'missing-plugin.json');
  writeFileSync(file, JSON.stringify({ plugin: 'custom', source: 'p', conditions: [], rules: [{ type: 'temporary', reason: 'P', path: join(dir, 'no-such-plugin.sh') }] }));
  const r = await npd('validate', file);
  expect(r.code).toBe(exitCodes.usage);
  expect(r.err).toMatch(/no-such-plugin\.sh/);
});

test('validate builds each probe rule: a bad probe option is an error', async () => {
  const file = join(dir, 'bad-probe.json');
  const fd = JSON.parse(await import('node:fs/promises').then((fs) => fs.readFile(join(repoRoot, 'monitors/fd-monitor.json'), 'utf8'))) as { rules: { options: Record<string, unknown> }[] };
  (fd.rules[0] as { options: Record<string, unknown> }).options = { thresholdPercent: 'lots' };
  writeFileSync(file, JSON.stringify(fd));
  const r = await npd('validate', file);
  expect(r.code).toBe(exitCodes.usage);
  expect(r.err).toMatch(/thresholdPercent/);
});

test('replay prints the problems of a log file; without --monitor, the profile\'s log monitors', async () => {
  const log = corpusPath('npd-upstream', 'npd-kernel-log-generator-docker_hung.log');
  const withMonitor = await npd('replay', '--monitor', join(repoRoot, 'monitors/kernel-monitor.json'), log);
  expect(withMonitor.code).toBe(exitCodes.ok);
  expect(withMonitor.out).toMatch(/TaskHung/);
  // --monitor replaces the profile's monitors.
  const only = join(dir, 'only.json');
  const kernel = JSON.parse(readFileSync(join(repoRoot, 'monitors/kernel-monitor.json'), 'utf8')) as { source: string; rules: unknown[] };
  writeFileSync(only, JSON.stringify({ ...kernel, source: 'only-monitor', rules: [{ type: 'temporary', reason: 'OnlyThis', pattern: 'task docker:\\w+ blocked.*' }] }));
  const alone = await npd('replay', '--monitor', only, log);
  expect(alone.out).toMatch(/only-monitor: OnlyThis/);
  expect(alone.out).not.toMatch(/kernel-monitor/);
  const fromProfile = await npd('replay', log);
  expect(fromProfile.code).toBe(exitCodes.ok);
  expect(fromProfile.out).toMatch(/TaskHung/);
  // Only the profile's log monitors are replayed: its probe monitors are not even offered.
  expect(fromProfile.out).not.toMatch(/not replayed/);
});

test('replay attributes OOM kills to pods from the kubelet directories it is given', async () => {
  const r = await npd('replay', '--monitor', join(repoRoot, 'monitors/kernel-monitor.json'), `--pods-log-dir=${fixturePodsLogDir}`, `--containers-log-dir=${fixtureContainersLogDir}`, oomFixture('kmsg-burst-derived.log'));
  expect(r.code).toBe(exitCodes.ok);
  expect(r.out).toContain('→ PodOOMKilling on pod ml/trainer-0');
});

test('run with a broken monitor file exits 2 naming it', async () => {
  const broken = join(dir, 'run-broken.json');
  writeFileSync(broken, '{}');
  const r = await npd('run', '--standalone', '--port=0', '--prometheus-port=0', '--no-reload', `--config.system-log-monitor=${broken}`);
  expect(r.code).toBe(exitCodes.usage);
  expect(r.err).toMatch(/^npd: .*run-broken\.json/);
});

test('run stops when its signal aborts (SIGTERM/SIGINT in the executable), even while it is starting: exit 0', async () => {
  const log = join(dir, 'run-kern.log');
  writeFileSync(log, '');
  const monitor = join(dir, 'run-monitor.json');
  writeFileSync(monitor, kernLogMonitor(log, { rules: [oomRule] }));
  const controller = new AbortController();
  const argv = ['run', '--standalone', '--port=0', '--prometheus-port=0', '--no-reload', '--log-level=error', `--config.system-log-monitor=${monitor}`];
  const done = execute(argv, { stopSignal: () => controller.signal, output: { out: () => {}, err: () => {} }, paths });
  controller.abort(new Error('SIGTERM'));
  expect(await done).toBe(exitCodes.ok);
});
