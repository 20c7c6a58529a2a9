/**
 * `npd run` read without commander (run-command-line.ts) gives what commander gives
 * (command-line.ts) for every command line it takes, the same ConfigError for a bad value, and
 * leaves every other command line to commander.
 */
import { ConfigError } from '../../src/core/errors.js';
import { parseCommandLine } from '../../src/app/command-line.js';
import { runFlags } from '../../src/app/flag-specs.js';
import { parseRunCommandLine } from '../../src/app/run-command-line.js';
import type { Invocation } from '../../src/app/settings.js';

const paths = { root: '/pkg', version: '9.8.7' };

type Outcome = { invocation: Invocation } | { error: string };
function outcome(parse: () => Invocation | undefined): Outcome | undefined {
  try {
    const invocation = parse();
    return invocation && { invocation };
  } catch (err) {
    if (err instanceof ConfigError) return { error: err.message };
    throw err;
  }
}
const commander = (argv: readonly string[]): Outcome | undefined => outcome(() => parseCommandLine(argv, paths));
const plain = (argv: readonly string[]): Outcome | undefined => outcome(() => parseRunCommandLine(argv, paths));

/** A valid value of each run flag that takes one. */
const sample: Readonly<Record<string, string>> = {
  '--profile': 'alibaba-cloud',
  '--monitors-dir': '/etc/m',
  '--config-dir': '/etc/c',
  '--proc-path': '/host/proc',
  '--sys-path': '/host/sys',
  '--log-level': 'debug',
  '--pods-log-dir': '/host/pods',
  '--containers-log-dir': '/host/containers',
  '--config.system-log-monitor': 'a.json,b.json',
  '--config.custom-plugin-monitor': 'p.json',
  '--system-log-monitors': 'c.json',
  '--custom-plugin-monitors': 'q.json',
  '--config.system-stats-monitor': 's.json',
  '--exporter.stackdriver': 'x',
  '--hostname-override': 'node-1',
  '--enable-k8s-exporter': 'false',
  '--apiserver-override': 'https://10.0.0.1:6443?inClusterConfig=false',
  '--kubeconfig': '/root/.kube/config',
  '--apiserver-wait-timeout': '1m30s',
  '--apiserver-wait-interval': '250ms',
  '--k8s-exporter-heartbeat-period': '1h',
  '--k8s-exporter-write-events': 'false',
  '--k8s-exporter-update-node-conditions': '0',
  '--event-namespace': 'kube-system',
  '--address': '0.0.0.0',
  '--port': '0',
  '--prometheus-address': '::1',
  '--prometheus-port': '9100',
  '--state-dir': '/var/lib/npd-ts',
  '--source-failure-grace-period': '2m',
  '--kube-api-qps': '20',
  '--kube-api-burst': '40',
  '--v': '2',
  '--logtostderr': 'true',
};
const takesValue = runFlags(paths).filter((f) => f.flags.includes(' '));
const switches = runFlags(paths).filter((f) => !f.flags.includes(' ')).map((f) => f.flags);

test('every run flag that takes a value has a sample here', () => {
  expect(takesValue.map((f) => f.flags.split(' ')[0]).filter((name) => !((name ?? '') in sample))).toEqual([]);
  expect(switches.sort()).toEqual(['--no-reload', '--standalone']);
});

// Command lines the plain reader takes: it must agree with commander on each.
const taken: string[][] = [
  [],
  ['run'],
  // The DaemonSet's (manifests/daemonset.yaml) and the image's (Dockerfile CMD) command lines.
  ['run', '--profile', 'default', '--proc-path=/host/proc', '--prometheus-address=0.0.0.0', '--state-dir=/var/lib/npd-ts', '--monitors-dir=/etc/npd-ts/monitors', '--config-dir=/etc/npd-ts/config'],
  ['run', '--profile', 'default'],
  // Each flag as --flag=value and as --flag value, with and without `run`.
  ...takesValue.flatMap((f) => {
    const name = f.flags.split(' ')[0] ?? '';
    const value = sample[name] ?? '';
    return [['run', `${name}=${value}`], [`${name}=${value}`], ['run', name, value]];
  }),
  ...switches.flatMap((s) => [[s], ['run', s, s]]),
  // Lists append; a repeated flag keeps its last value.
  ['--config.system-log-monitor=a.json', '--config.system-log-monitor', 'b.json,c.json', '--system-log-monitors=d.json'],
  ['--port=1', '--port=2'],
  // An optional value: absent at the end, before a flag, or the next word.
  ['--enable-k8s-exporter'],
  ['--enable-k8s-exporter', '--port=1'],
  ['--enable-k8s-exporter', 'false', '--port=1'],
  ['--enable-k8s-exporter=false', '--enable-k8s-exporter'],
  ['--logtostderr', '--k8s-exporter-write-events', 'no'],
  // A required value is the next word even when it looks like a flag (commander's rule).
  ['--hostname-override', '--port=1'],
  ['--state-dir', '-x'],
  // Bad values: the same ConfigError.
  ['--port=http'],
  ['run', '--port', '-1'],
  ['--log-level=loud', '--bogus'],
  ['--enable-k8s-exporter=maybe'],
  ['--enable-k8s-exporter', 'maybe'],
  ['--apiserver-wait-interval=0'],
  ['--config.system-log-monitor='],
  ['--address=localhost'],
  ['--profile', ''],
];

test.each(taken.map((argv) => [argv.join(' '), argv] as const))('npd %s: the same as commander', (_, argv) => {
  const expected = commander(argv);
  expect(expected).toBeDefined();
  expect(plain(argv)).toEqual(expected);
});

// Left to commander: help, version, unknown flags and words, `--`, a missing value, `-x`.
const left: string[][] = [
  ['--help'],
  ['run', '--help'],
  ['-h'],
  ['--version'],
  ['check'],
  ['replay', 'kern.log'],
  ['validate', 'm.json'],
  ['frobnicate'],
  ['run', 'extra'],
  ['run', 'run'],
  ['--standalone', 'run'],
  ['--bogus'],
  ['--port=1', '--bogus', '--port=http'],
  ['--standalone=true'],
  ['--no-reload=1'],
  ['--port'],
  ['--standalone', '--'],
  ['--enable-k8s-exporter', '-f'],
  ['-v', '2'],
  [''],
];

test.each(left.map((argv) => [argv.join(' '), argv] as const))('npd %s: left to commander', (_, argv) => {
  expect(plain(argv)).toBeUndefined();
});
