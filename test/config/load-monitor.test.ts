import { mkdtempSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../../src/core/errors.js';
import { parseMonitorConfig, readMonitorFile, validateFiles } from '../../src/config/load-monitor.js';
import type { LogMonitorConfig, ProbeMonitorConfig } from '../../src/config/monitor-config.js';

const fixtures = new URL('../fixtures/npd-config/', import.meta.url).pathname;

const logBase = {
  plugin: 'kmsg',
  source: 'kernel-monitor',
  conditions: [{ type: 'KernelDeadlock', reason: 'KernelHasNoDeadlock', message: 'kernel has no deadlock' }],
  rules: [{ type: 'temporary', reason: 'OOMKilling', pattern: 'Killed process \\d+' }],
};
const probeBase = {
  plugin: 'custom',
  source: 'ntp-custom-plugin-monitor',
  conditions: [{ type: 'NTPProblem', reason: 'NTPIsUp', message: 'ntp service is up' }],
  rules: [{ type: 'permanent', condition: 'NTPProblem', reason: 'NTPIsDown', path: './check_ntp.sh' }],
};

function configError(text: string, options = {}): ConfigError {
  try {
    parseMonitorConfig(text, 'm.json', options);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}
const with_ = (base: object, patch: (o: any) => void): string => {
  const o = structuredClone(base);
  patch(o);
  return JSON.stringify(o);
};

describe('parseMonitorConfig: NPD files load unchanged', () => {
  test.each(['kernel-monitor.json', 'kernel-monitor-filelog.json', 'readonly-monitor.json', 'docker-monitor.json', 'systemd-monitor.json'])('%s', async (name) => {
    const m = await readMonitorFile(join(fixtures, name));
    expect(m.kind).toBe('log');
  });

  test('kernel-monitor.json values and defaults', async () => {
    const m = (await readMonitorFile(join(fixtures, 'kernel-monitor.json'))) as LogMonitorConfig;
    expect(m).toMatchObject({ plugin: 'kmsg', logPath: '/dev/kmsg', lookbackMs: 300_000, delayMs: 0, bufferSize: 10, source: 'kernel-monitor', metricsReporting: true, skipList: [] });
    expect(m.conditions.map((c) => c.type)).toEqual(['KernelDeadlock', 'XfsShutdown', 'CperHardwareErrorFatal']);
    expect(m.conditions[0]?.expireAfterMs).toBeUndefined();
    expect(m.rules).toHaveLength(14);
    expect(m.rules[13]).toEqual({ type: 'permanent', condition: 'KernelDeadlock', reason: 'DockerHung', pattern: 'task docker:\\w+ blocked for more than \\w+ seconds\\.', patternGeneratedMessageSuffix: undefined });
    expect(m.rules[0]?.condition).toBeUndefined();
  });
});

describe('parseMonitorConfig: log monitor extensions and defaults', () => {
  test('recovery rule and expireAfter', () => {
    const m = parseMonitorConfig(
      with_(logBase, (o) => {
        o.conditions[0].expireAfter = '1h30m';
        o.rules.push({ type: 'recovery', condition: 'KernelDeadlock', pattern: 'all good' });
      }),
      'm.json',
    ) as LogMonitorConfig;
    expect(m.conditions[0]?.expireAfterMs).toBe(5_400_000);
    expect(m.rules[1]).toMatchObject({ type: 'recovery', condition: 'KernelDeadlock', reason: '' });
  });

  test('counting rule (count, window, revertPattern)', () => {
    const m = parseMonitorConfig(
      with_(logBase, (o) => Object.assign(o.rules[0], { count: 5, window: '20m', revertPattern: 'Stopping .*' })),
      'm.json',
    ) as LogMonitorConfig;
    expect(m.rules[0]?.count).toEqual({ threshold: 5, windowMs: 1_200_000, revertPattern: 'Stopping .*' });
    expect((parseMonitorConfig(JSON.stringify(logBase), 'm.json') as LogMonitorConfig).rules[0]?.count).toBeUndefined();
  });

  test('defaults: logPath per plugin, bufferSize 10, metricsReporting true, lookback 0', () => {
    const m = parseMonitorConfig(JSON.stringify(logBase), 'm.json') as LogMonitorConfig;
    expect(m).toMatchObject({ logPath: '/dev/kmsg', bufferSize: 10, metricsReporting: true, lookbackMs: 0, pluginConfig: {} });
  });

  test('unknown fields are ignored', () => {
    expect(() => parseMonitorConfig(with_(logBase, (o) => (o.startPattern = 'x')), 'm.json')).not.toThrow();
  });
});

describe('parseMonitorConfig: probe monitors', () => {
  test('NPD pluginConfig defaults', () => {
    const m = parseMonitorConfig(JSON.stringify(probeBase), 'm.json') as ProbeMonitorConfig;
    expect(m).toMatchObject({ kind: 'probe', invokeIntervalMs: 30_000, timeoutMs: 5_000, maxOutputLength: 80, concurrency: 3, messageChangeUpdates: false, skipInitialStatus: false });
    expect(m.rules[0]).toMatchObject({ path: './check_ntp.sh', probe: undefined, args: [], timeoutMs: 5_000, intervalMs: 30_000, options: {} });
  });

  test('pluginConfig values and per-rule timeout/invoke_interval', () => {
    const m = parseMonitorConfig(
      with_(probeBase, (o) => {
        o.pluginConfig = { invoke_interval: '10s', timeout: '3m', max_output_length: 100, concurrency: 1, enable_message_change_based_condition_update: true, skip_initial_status: true };
        Object.assign(o.rules[0], { timeout: '3s', invoke_interval: '1m', args: ['--x'] });
      }),
      'm.json',
    ) as ProbeMonitorConfig;
    expect(m).toMatchObject({ invokeIntervalMs: 10_000, timeoutMs: 180_000, maxOutputLength: 100, concurrency: 1, messageChangeUpdates: true, skipInitialStatus: true });
    expect(m.rules[0]).toMatchObject({ timeoutMs: 3_000, intervalMs: 60_000, args: ['--x'] });
  });

  test('built-in probe with options', () => {
    const m = parseMonitorConfig(
      with_(probeBase, (o) => (o.rules[0] = { type: 'permanent', condition: 'NTPProblem', reason: 'NTPIsDown', probe: 'ntp', options: { maxOffsetMs: 500 } })),
      'm.json',
      { probeNames: ['ntp', 'fd'] },
    ) as ProbeMonitorConfig;
    expect(m.rules[0]).toMatchObject({ probe: 'ntp', path: undefined, options: { maxOffsetMs: 500 } });
  });

  test('checkPaths accepts an existing file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'npd-'));
    const script = join(dir, 'check.sh');
    writeFileSync(script, '#!/bin/sh\nexit 0\n');
    chmodSync(script, 0o755);
    expect(() => parseMonitorConfig(with_(probeBase, (o) => (o.rules[0].path = script)), 'm.json', { checkPaths: true })).not.toThrow();
  });
});

describe('parseMonitorConfig: errors name the field', () => {
  test.each<[string, string, string, RegExp]>([
    ['bad JSON has line and column', '{\n  "plugin": "kmsg"\n  "source": "x"}', '', /invalid JSON at line 3, column 3/],
    ['not an object', '[]', '', /must be an object/],
    ['unknown plugin lists known', with_(logBase, (o) => (o.plugin = 'syslog')), 'plugin', /unknown plugin "syslog"; known: custom, filelog, journald, kmsg/],
    ['missing source', with_(logBase, (o) => delete o.source), 'source', /is required/],
    ['wrong type', with_(logBase, (o) => (o.bufferSize = '10')), 'bufferSize', /must be an integer, got the string "10"/],
    ['bufferSize range', with_(logBase, (o) => (o.bufferSize = 0)), 'bufferSize', /^must be 1–1000, got 0$/],
    ['bad duration', with_(logBase, (o) => (o.lookback = '5 minutes')), 'lookback', /Go duration/],
    ['bad expireAfter', with_(logBase, (o) => (o.conditions[0].expireAfter = '0')), 'conditions[0].expireAfter', /more than 0/],
    ['filelog needs logPath', with_(logBase, (o) => (o.plugin = 'filelog')), 'logPath', /required for plugin filelog/],
    ['skipList items are strings', with_(logBase, (o) => (o.skipList = ['a', 3])), 'skipList[1]', /must be a string/],
    ['pluginConfig values are strings', with_(logBase, (o) => (o.pluginConfig = { source: 1 })), 'pluginConfig.source', /must be a string/],
    ['condition missing type', with_(logBase, (o) => delete o.conditions[0].type), 'conditions[0].type', /is required/],
    ['duplicate condition', with_(logBase, (o) => o.conditions.push(o.conditions[0])), 'conditions[1].type', /declared twice/],
    ['bad rule type', with_(logBase, (o) => (o.rules[0].type = 'sometimes')), 'rules[0].type', /temporary.*permanent.*recovery/],
    ['rule missing pattern', with_(logBase, (o) => delete o.rules[0].pattern), 'rules[0].pattern', /is required/],
    ['permanent rule without declared condition', with_(logBase, (o) => o.rules.push({ type: 'permanent', condition: 'Nope', reason: 'R', pattern: 'x' })), 'rules[1].condition', /"Nope" is not declared in conditions \(declared: KernelDeadlock\)/],
    ['recovery rule without condition', with_(logBase, (o) => o.rules.push({ type: 'recovery', pattern: 'x' })), 'rules[1].condition', /is required/],
    ['pattern not RE2', with_(logBase, (o) => (o.rules[0].pattern = '(a')), 'rules[0].pattern', /missing closing \)/],
    ['pattern too large', with_(logBase, (o) => (o.rules[0].pattern = '(?:a{1000}){1000}')), 'rules[0].pattern', /expands to more than/],
    ['pattern nested 100,000 deep', with_(logBase, (o) => (o.rules[0].pattern = `${'('.repeat(100_000)}a${')'.repeat(100_000)}`)), 'rules[0].pattern', /^pattern is 200001 characters long, at most 16384$/],
    ['pattern nested 1,001 deep', with_(logBase, (o) => (o.rules[0].pattern = `${'('.repeat(1001)}a${')'.repeat(1001)}`)), 'rules[0].pattern', /^groups nested deeper than 1000 at offset 1000$/],
    ['pattern of 2 MB', with_(logBase, (o) => (o.rules[0].pattern = 'x'.repeat(2_000_000))), 'rules[0].pattern', /^pattern is 2000000 characters long/],
    ['pattern with backreference', with_(logBase, (o) => (o.rules[0].pattern = '(a)\\1')), 'rules[0].pattern', /backreferences are not supported/],
    ['filelog timestamp regex', with_(logBase, (o) => Object.assign(o, { plugin: 'filelog', logPath: '/x', pluginConfig: { timestamp: '(' } })), 'pluginConfig.timestamp', /missing closing/],
    ['filelog message regex', with_(logBase, (o) => Object.assign(o, { plugin: 'filelog', logPath: '/x', pluginConfig: { message: '(' } })), 'pluginConfig.message', /missing closing/],
    ['count without window', with_(logBase, (o) => (o.rules[0].count = 3)), 'rules[0].window', /is required with "count"/],
    ['count not an integer', with_(logBase, (o) => Object.assign(o.rules[0], { count: 2.5, window: '5m' })), 'rules[0].count', /must be an integer/],
    ['count range', with_(logBase, (o) => Object.assign(o.rules[0], { count: 0, window: '5m' })), 'rules[0].count', /must be 1–10000, got 0/],
    ['window without count', with_(logBase, (o) => (o.rules[0].window = '5m')), 'rules[0].window', /only allowed together with "count"/],
    ['revertPattern not RE2', with_(logBase, (o) => Object.assign(o.rules[0], { count: 3, window: '5m', revertPattern: '(x' })), 'rules[0].revertPattern', /missing closing \)/],
    ['count on a recovery rule', with_(logBase, (o) => o.rules.push({ type: 'recovery', condition: 'KernelDeadlock', pattern: 'x', count: 2, window: '1m' })), 'rules[1].count', /not allowed on a recovery rule/],
    ['probe: interval must be positive', with_(probeBase, (o) => (o.pluginConfig = { invoke_interval: '0s' })), 'pluginConfig.invoke_interval', /more than 0/],
    ['probe: concurrency range', with_(probeBase, (o) => (o.pluginConfig = { concurrency: 0 })), 'pluginConfig.concurrency', /must be 1–1000, got 0/],
    ['probe: rule timeout above global', with_(probeBase, (o) => (o.rules[0].timeout = '10s')), 'rules[0].timeout', /10s is more than pluginConfig.timeout 5s/],
    ['probe: neither path nor probe', with_(probeBase, (o) => delete o.rules[0].path), 'rules[0].path', /either "path".*or "probe"/],
    ['probe: both path and probe', with_(probeBase, (o) => (o.rules[0].probe = 'ntp')), 'rules[0].probe', /not both/],
    ['probe: recovery is a log-only type', with_(probeBase, (o) => (o.rules[0].type = 'recovery')), 'rules[0].type', /temporary.*permanent/],
    ['probe: args are strings', with_(probeBase, (o) => (o.rules[0].args = [1])), 'rules[0].args[0]', /must be a string/],
  ])('%s', (_name, text, field, problem) => {
    const err = configError(text);
    expect(err.file).toBe('m.json');
    expect(err.field).toBe(field);
    expect(err.problem).toMatch(problem);
  });

  test('unknown probe name when probeNames is given', () => {
    const err = configError(with_(probeBase, (o) => (o.rules[0] = { type: 'temporary', reason: 'X', probe: 'nope' })), { probeNames: ['fd', 'pid'] });
    expect(err.field).toBe('rules[0].probe');
    expect(err.problem).toBe('unknown probe "nope"; known: fd, pid');
  });

  test('missing path file when checkPaths', () => {
    const err = configError(with_(probeBase, (o) => (o.rules[0].path = '/nonexistent/check.sh')), { checkPaths: true });
    expect(err.field).toBe('rules[0].path');
    expect(err.problem).toMatch(/no such file/);
  });

  const plugins = fileURLToPath(new URL('../fixtures/plugins/', import.meta.url));
  test.each([
    ['a directory', plugins.replace(/\/$/, ''), `is a directory, not an executable: ${plugins.replace(/\/$/, '')}`],
    ['not executable', join(plugins, 'not-executable.sh'), `is not executable (mode 0644): ${join(plugins, 'not-executable.sh')}`],
    ['a device', '/dev/null', 'is not a regular file: /dev/null'],
    ['below a file', join(plugins, 'exit-0.sh', 'x'), `no such file: ${join(plugins, 'exit-0.sh', 'x')}`],
  ])('plugin path that is %s when checkPaths', (_name, path, problem) => {
    const err = configError(with_(probeBase, (o) => (o.rules[0].path = path)), { checkPaths: true });
    expect(err.field).toBe('rules[0].path');
    expect(err.problem).toBe(problem);
  });
});

describe('validateFiles', () => {
  test('reports each file, ok only if all are', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'npd-'));
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, with_(logBase, (o) => (o.bufferSize = 0)));
    const r = await validateFiles([join(fixtures, 'kernel-monitor.json'), bad, join(dir, 'missing.json')]);
    expect(r.ok).toBe(false);
    expect(r.messages[0]).toMatch(/kernel-monitor\.json: ok: log monitor \(kmsg\) kernel-monitor, 3 conditions, 14 rules/);
    expect(r.messages[1]).toBe(`${bad}: bufferSize: must be 1–1000, got 0`);
    expect(r.messages[2]).toMatch(/missing\.json: cannot read/);
    expect((await validateFiles([join(fixtures, 'docker-monitor.json')])).ok).toBe(true);
  });
});

describe('what the parsers check beyond the field tables', () => {
  const parse = (base: object, patch: (o: any) => void, options = {}) => parseMonitorConfig(with_(base, patch), 'm.json', options);

  test('a temporary rule\'s condition is ignored, declared or not (NPD reads none)', () => {
    const m = parse(logBase, (o) => (o.rules[0].condition = 'Undeclared')) as LogMonitorConfig;
    expect(m.rules[0]?.condition).toBeUndefined();
  });

  test('a file with no conditions says so when a rule names one', () => {
    const err = configError(with_(logBase, (o) => {
      o.conditions = [];
      o.rules.push({ type: 'permanent', condition: 'KernelDeadlock', reason: 'R', pattern: 'x' });
    }));
    expect(err.problem).toBe('permanent rule\'s condition "KernelDeadlock" is not declared in conditions (declared: none)');
    const two = configError(with_(logBase, (o) => {
      o.conditions.push({ type: 'XfsShutdown', reason: 'XfsHasNoShutdown' });
      o.rules.push({ type: 'permanent', condition: 'Nope', reason: 'R', pattern: 'x' });
    }));
    expect(two.problem).toMatch(/\(declared: KernelDeadlock, XfsShutdown\)$/);
  });

  test('an empty logPath is refused like a missing one', () => {
    const err = configError(with_(logBase, (o) => Object.assign(o, { plugin: 'filelog', logPath: '' })));
    expect([err.field, err.problem]).toEqual(['logPath', 'is required for plugin filelog']);
  });

  test('timestamp and message of pluginConfig are RE2 only for filelog: the other plugins do not read them', () => {
    for (const plugin of ['kmsg', 'journald']) {
      expect(parse(logBase, (o) => Object.assign(o, { plugin, pluginConfig: { timestamp: '(', message: '(' } }))).toMatchObject({ plugin });
    }
  });

  test('a probe monitor\'s plugin is custom', () => {
    expect(parse(probeBase, () => {})).toMatchObject({ kind: 'probe', plugin: 'custom' });
  });

  test('probeNames do not concern an executable rule, nor checkPaths a built-in probe', () => {
    expect((parse(probeBase, () => {}, { probeNames: ['fd'] }) as ProbeMonitorConfig).rules[0]?.path).toBe('./check_ntp.sh');
    const probeRule = { type: 'temporary', reason: 'X', probe: 'fd' };
    expect((parse(probeBase, (o) => (o.rules[0] = probeRule), { checkPaths: true }) as ProbeMonitorConfig).rules[0]?.probe).toBe('fd');
  });

  test('the known probes are listed sorted', () => {
    const err = configError(with_(probeBase, (o) => (o.rules[0] = { type: 'temporary', reason: 'X', probe: 'nope' })), { probeNames: ['pid', 'fd'] });
    expect(err.problem).toBe('unknown probe "nope"; known: fd, pid');
  });

  test('a rule timeout equal to pluginConfig.timeout is allowed; above it, the message gives milliseconds when not whole seconds', () => {
    expect((parse(probeBase, (o) => (o.rules[0].timeout = '5s')) as ProbeMonitorConfig).rules[0]?.timeoutMs).toBe(5_000);
    const err = configError(with_(probeBase, (o) => Object.assign(o, { pluginConfig: { timeout: '1s' } }, { rules: [{ ...o.rules[0], timeout: '1500ms' }] })));
    expect(err.problem).toBe('1500ms is more than pluginConfig.timeout 1s');
  });

  test('a plugin path that cannot be looked at names the error code', () => {
    const path = `/${'x'.repeat(5000)}`;
    const err = configError(with_(probeBase, (o) => (o.rules[0].path = path)), { checkPaths: true });
    expect(err.problem).toBe(`cannot read ${path}: ENAMETOOLONG`);
  });

  test('validateFiles names a probe monitor, and the file of an error that is not a ConfigError', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'npd-'));
    const file = join(dir, 'probe.json');
    writeFileSync(file, JSON.stringify(probeBase));
    expect((await validateFiles([file])).messages[0]).toMatch(new RegExp(`^${file}: ok: probe monitor \\(custom\\) ntp-custom-plugin-monitor, `));
    const r = await validateFiles([file], {}, () => {
      throw new Error('cannot build');
    });
    expect(r).toEqual({ ok: false, messages: [`${file}: cannot build`] });
  });

  test('a file that is not JSON: the line and column of the fault', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'npd-')), 'bad.json');
    writeFileSync(file, '{\n  "plugin": "kmsg",\n}');
    await expect(readMonitorFile(file)).rejects.toThrow(`${file}: invalid JSON at line 3, column 1: expected a property name in double quotes, got '}'`);
  });

  test('a file without plugin: plugin is required', () => {
    const err = configError(with_(logBase, (o) => delete o.plugin));
    expect([err.field, err.problem]).toEqual(['plugin', 'is required']);
  });
});
