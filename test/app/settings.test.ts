/**
 * Every flag of the README, parsed in-process: its default, a value, and a bad value that is one
 * ConfigError naming the flag (the CLI prints it on one line and exits 2; cli.test.ts checks that
 * through the built CLI for a few).
 */
import { ConfigError } from '../../src/core/errors.js';
import { parseCommandLine } from '../../src/app/command-line.js';
import { declaredFlags } from '../../src/app/flag-table.js';
import type { Invocation, RunSettings } from '../../src/app/settings.js';

const paths = { root: '/pkg', version: '9.8.7' };
const parse = (...argv: string[]): Invocation => parseCommandLine(argv, paths);
function run(...argv: string[]): RunSettings {
  const inv = parse('run', ...argv);
  if (inv.command !== 'run') throw new Error(`parsed as ${inv.command}`);
  return inv.settings;
}
function failure(argv: string[]): ConfigError {
  try {
    parse(...argv);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error(`${argv.join(' ')} was accepted`);
}

test('the defaults of npd run are NPD\'s', () => {
  expect(run()).toEqual({
    profile: undefined,
    monitorsDir: '/pkg/monitors',
    configDir: '/pkg/config',
    procPath: '/proc',
    logLevel: 'info',
    podsLogDir: '/var/log/pods',
    containersLogDir: '/var/log/containers',
    systemLogMonitors: [],
    customPluginMonitors: [],
    ignoredFlags: [],
    hostnameOverride: undefined,
    enableK8sExporter: true,
    console: false,
    apiserverOverride: undefined,
    kubeconfig: undefined,
    apiserverWaitTimeoutMs: 300_000,
    apiserverWaitIntervalMs: 5_000,
    heartbeatMs: 300_000,
    writeEvents: true,
    updateNodeConditions: true,
    eventNamespace: undefined,
    address: '127.0.0.1',
    port: 20256,
    prometheusAddress: '127.0.0.1',
    prometheusPort: 20257,
    stateDir: undefined,
    sourceFailureGraceMs: 60_000,
    reload: true,
  });
});

test('run is the default command: NPD\'s command lines work without it', () => {
  expect(parse('--port=1234')).toMatchObject({ command: 'run', settings: { port: 1234 } });
});

// [argv, the settings they give]
test.each<[string[], Partial<RunSettings>]>([
  [['--profile', 'alibaba-cloud'], { profile: 'alibaba-cloud' }],
  [['--monitors-dir=/etc/m', '--config-dir=/etc/c'], { monitorsDir: '/etc/m', configDir: '/etc/c' }],
  [['--proc-path=/host/proc'], { procPath: '/host/proc' }],
  // No probe reads sysfs: the flag of older manifests is accepted and warned about.
  [['--sys-path=/host/sys'], { ignoredFlags: ['--sys-path'] }],
  [['--log-level=debug'], { logLevel: 'debug' }],
  [['--log-level', 'error'], { logLevel: 'error' }],
  [['--log-level=warn'], { logLevel: 'warn' }],
  [['--log-level=info'], { logLevel: 'info' }],
  [['--config.system-log-monitor=a.json,b.json', '--config.system-log-monitor', 'c.json'], { systemLogMonitors: ['a.json', 'b.json', 'c.json'] }],
  [['--system-log-monitors=a.json'], { systemLogMonitors: ['a.json'] }],
  [['--config.custom-plugin-monitor=p.json', '--custom-plugin-monitors=q.json'], { customPluginMonitors: ['p.json', 'q.json'] }],
  [['--config.system-stats-monitor=s.json', '--exporter.stackdriver=x'], { ignoredFlags: ['--config.system-stats-monitor', '--exporter.stackdriver'] }],
  [['--hostname-override=node-1'], { hostnameOverride: 'node-1' }],
  [['--enable-k8s-exporter=false'], { enableK8sExporter: false, console: true }],
  [['--enable-k8s-exporter'], { enableK8sExporter: true, console: false }],
  [['--standalone'], { enableK8sExporter: false, console: true }],
  [['--apiserver-override=https://10.0.0.1:6443?inClusterConfig=false'], { apiserverOverride: 'https://10.0.0.1:6443?inClusterConfig=false' }],
  [['--kubeconfig=/root/.kube/config'], { kubeconfig: '/root/.kube/config' }],
  [['--apiserver-wait-timeout=0'], { apiserverWaitTimeoutMs: 0 }],
  [['--apiserver-wait-timeout=1m30s'], { apiserverWaitTimeoutMs: 90_000 }],
  [['--apiserver-wait-interval=250ms'], { apiserverWaitIntervalMs: 250 }],
  [['--k8s-exporter-heartbeat-period=1h'], { heartbeatMs: 3_600_000 }],
  [['--k8s-exporter-write-events=false'], { writeEvents: false }],
  [['--k8s-exporter-write-events=true'], { writeEvents: true }],
  [['--k8s-exporter-update-node-conditions=0'], { updateNodeConditions: false }],
  [['--k8s-exporter-update-node-conditions=FALSE'], { updateNodeConditions: false }],
  [['--event-namespace=kube-system'], { eventNamespace: 'kube-system' }],
  [['--address=0.0.0.0', '--port=0'], { address: '0.0.0.0', port: 0 }],
  [['--address=::1', '--port=65535'], { address: '::1', port: 65535 }],
  [['--prometheus-address=0.0.0.0', '--prometheus-port=9100'], { prometheusAddress: '0.0.0.0', prometheusPort: 9100 }],
  [['--prometheus-port=0'], { prometheusPort: 0 }],
  [['--state-dir=/var/lib/npd-ts'], { stateDir: '/var/lib/npd-ts' }],
  [['--pods-log-dir=/host/pods', '--containers-log-dir=/host/containers'], { podsLogDir: '/host/pods', containersLogDir: '/host/containers' }],
  [['--source-failure-grace-period=2m'], { sourceFailureGraceMs: 120_000 }],
  [['--no-reload'], { reload: false }],
  [['--kube-api-qps=20', '--kube-api-burst=40', '--v=2', '--logtostderr'], {}],
  [['--logtostderr=false'], {}],
])('npd run %j', (argv, expected) => {
  const settings = run(...argv);
  expect(settings).toMatchObject(expected);
  // Nothing else moved from its default.
  const defaults = run();
  for (const [k, v] of Object.entries(settings)) if (!(k in expected)) expect([k, v]).toEqual([k, defaults[k as keyof RunSettings]]);
});

// [argv, the flag named, the problem]
test.each<[string[], string, RegExp]>([
  [['--port='], '--port', /must be a port number 0–65535.*got ""/],
  [['--port=0x50'], '--port', /got "0x50"/],
  [['--port=80.0'], '--port', /got "80\.0"/],
  [['--port=-1'], '--port', /got "-1"/],
  [['--port=65536'], '--port', /got "65536"/],
  [['--port=1e3'], '--port', /got "1e3"/],
  [['--port= 80'], '--port', /got " 80"/],
  [['--prometheus-port=http'], '--prometheus-port', /must be a port number/],
  [['--prometheus-port='], '--prometheus-port', /got ""/],
  [['--address='], '--address', /must be an IP address/],
  [['--address=localhost'], '--address', /must be an IP address.*"localhost"/],
  [['--prometheus-address=256.1.1.1'], '--prometheus-address', /must be an IP address/],
  [['--apiserver-wait-timeout=soon'], '--apiserver-wait-timeout', /must be a duration like 5m or 30s, got "soon"/],
  [['--apiserver-wait-timeout='], '--apiserver-wait-timeout', /must be a duration/],
  [['--apiserver-wait-timeout=300'], '--apiserver-wait-timeout', /must be a duration.*"300"/],
  [['--apiserver-wait-interval=0'], '--apiserver-wait-interval', /must be longer than 0/],
  [['--k8s-exporter-heartbeat-period=0s'], '--k8s-exporter-heartbeat-period', /must be longer than 0/],
  [['--source-failure-grace-period=0'], '--source-failure-grace-period', /must be longer than 0/],
  [['--k8s-exporter-heartbeat-period=5 m'], '--k8s-exporter-heartbeat-period', /must be a duration/],
  [['--k8s-exporter-write-events=nope'], '--k8s-exporter-write-events', /must be true or false, got "nope"/],
  [['--k8s-exporter-update-node-conditions='], '--k8s-exporter-update-node-conditions', /must be true or false, got ""/],
  [['--enable-k8s-exporter=maybe'], '--enable-k8s-exporter', /must be true or false/],
  [['--logtostderr=2'], '--logtostderr', /must be true or false/],
  [['--log-level=verbose'], '--log-level', /must be one of debug, info, warn, error, got "verbose"/],
  [['--hostname-override='], '--hostname-override', /must not be empty/],
  [['--event-namespace='], '--event-namespace', /must not be empty/],
  [['--state-dir='], '--state-dir', /must not be empty/],
  [['--pods-log-dir='], '--pods-log-dir', /must not be empty/],
  [['--proc-path='], '--proc-path', /must not be empty/],
  [['--sys-path= '], '--sys-path', /must not be empty/],
  [['--profile='], '--profile', /must not be empty/],
  [['--monitors-dir='], '--monitors-dir', /must not be empty/],
  [['--config-dir='], '--config-dir', /must not be empty/],
  [['--kubeconfig='], '--kubeconfig', /must not be empty/],
  [['--apiserver-override='], '--apiserver-override', /must not be empty/],
  [['--config.system-log-monitor='], '--config.system-log-monitor', /must name at least one file/],
  [['--config.custom-plugin-monitor=,'], '--config.custom-plugin-monitor', /must name at least one file/],
  [['--kube-api-qps=fast'], '--kube-api-qps', /must be a number/],
  [['--v=high'], '--v', /must be a number/],
  [['--bogus'], '--bogus', /^unknown flag \(see npd run --help\)$/],
  [['--bogus=1'], '--bogus', /^unknown flag \(see npd run --help\)$/],
  [['--port'], '--port', /needs a value/],
  [['frobnicate'], 'frobnicate', /no such command \(commands: run, check, replay, validate/],
])('npd run %j is refused naming %s', (argv, flagName, problem) => {
  const err = failure(['run', ...argv]);
  expect(err.file).toBe('command line');
  expect(err.field).toBe(flagName);
  expect(err.problem).toMatch(problem);
  expect(err.message).toBe(`command line: ${flagName}: ${err.problem}`);
  expect(err.message).not.toContain('\n');
});

test('an unknown command is refused without the word run, too, and by help', () => {
  const noSuch = 'no such command (commands: run, check, replay, validate; see npd --help)';
  expect(failure(['frobnicate'])).toMatchObject({ field: 'frobnicate', problem: noSuch });
  expect(failure(['help', 'frobnicate'])).toMatchObject({ field: 'frobnicate', problem: noSuch });
  expect(failure(['help', 'frobnicate', 'now'])).toMatchObject({ field: 'frobnicate now', problem: noSuch });
  const help = parse('help', 'check');
  expect(help.command === 'info' ? help.output : '').toMatch(/^Usage: npd check \[options\]/);
});

test('a word a command does not take is refused with commander\'s words, without its "error: "', () => {
  expect(failure(['check', 'extra'])).toMatchObject({ field: '', message: "command line: too many arguments for 'check'. Expected 0 arguments but got 1: extra." });
});

test('npd check: its flags, defaults and refusals', () => {
  expect(parse('check')).toEqual({
    command: 'check',
    settings: { profile: undefined, monitorsDir: '/pkg/monitors', configDir: '/pkg/config', procPath: '/proc', logLevel: 'info', customPluginMonitors: [], json: false },
  });
  expect(parse('check', '--json', '--proc-path=/host/proc', '--config.custom-plugin-monitor=a.json,b.json', '--profile=p')).toMatchObject({
    settings: { json: true, procPath: '/host/proc', customPluginMonitors: ['a.json', 'b.json'], profile: 'p' },
  });
  expect(failure(['check', '--bogus'])).toMatchObject({ field: '--bogus', problem: 'unknown flag (see npd check --help)' });
  expect(failure(['check', '--port=1'])).toMatchObject({ field: '--port', problem: 'unknown flag (see npd check --help)' });
  expect(failure(['check', '--log-level'])).toMatchObject({ field: '--log-level', problem: 'needs a value' });
  expect(failure(['check', '--proc-path='])).toMatchObject({ field: '--proc-path' });
});

test('npd replay: log files, --monitor repeatable, a missing file argument refused', () => {
  expect(parse('replay', '--monitor', 'a.json', '--monitor=b.json', 'kern.log', 'other.log')).toEqual({
    command: 'replay',
    settings: expect.objectContaining({ monitors: ['a.json', 'b.json'], logFiles: ['kern.log', 'other.log'] }),
  });
  expect(parse('replay', 'kern.log')).toMatchObject({ settings: { monitors: undefined, logFiles: ['kern.log'] } });
  expect(failure(['replay'])).toMatchObject({ field: '<logfile>', problem: 'missing (see npd replay --help)' });
  expect(failure(['replay', '--monitor=', 'kern.log'])).toMatchObject({ field: '--monitor', problem: 'must name at least one file' });
  expect(parse('replay', '--pods-log-dir=/p', '--containers-log-dir=/c', '--proc-path=/h', 'kern.log')).toMatchObject({ settings: { podsLogDir: '/p', containersLogDir: '/c', procPath: '/h' } });
});

test('npd validate: the files', () => {
  expect(parse('validate', 'a.json', 'b.json')).toEqual({ command: 'validate', settings: { files: ['a.json', 'b.json'] } });
  expect(failure(['validate'])).toMatchObject({ field: '<file>', problem: 'missing (see npd validate --help)' });
});

test('--version and --help are output to print, not errors', () => {
  expect(parse('--version')).toEqual({ command: 'info', output: '9.8.7\n' });
  const help = parse('run', '--help');
  expect(help.command).toBe('info');
  const text = help.command === 'info' ? help.output : '';
  // Durations as an operator writes them, not milliseconds.
  expect(text).toMatch(/--apiserver-wait-timeout <duration>[\s\S]*\(default: 5m\)/);
  expect(text).toMatch(/--apiserver-wait-interval <duration>[\s\S]*\(default: 5s\)/);
  expect(text).toMatch(/--k8s-exporter-heartbeat-period <duration>[\s\S]*\(default: 5m\)/);
  expect(text).not.toMatch(/300000|5000\b/);
  expect(text).toMatch(/--port <port>[\s\S]*\(default: 20256\)/);
  // Hidden compatibility flags stay out of the help.
  expect(text).not.toContain('--kube-api-qps');
  const top = parse('--help');
  expect(top.command === 'info' ? top.output : '').toMatch(/check[\s\S]*replay[\s\S]*validate/);
});

test('declaredFlags lists every flag of every command once', () => {
  const flags = declaredFlags(paths);
  expect(new Set(flags).size).toBe(flags.length);
  for (const f of ['--port', '--prometheus-port', '--state-dir', '--json', '--monitor', '--kube-api-qps', '--no-reload', '--config.system-log-monitor']) expect(flags).toContain(f);
});
