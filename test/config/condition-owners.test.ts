/**
 * One condition type, one monitor file: two files declaring the same type are refused at load (by
 * `npd validate`, at start and on reload), naming both files and the field. The shipped profiles
 * never pair the alternatives that share types (kernel-monitor.json and kernel-monitor-filelog.json).
 */
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkConditionOwners } from '../../src/config/condition-owners.js';
import { readMonitorFile, validateFiles } from '../../src/config/load-monitor.js';
import { readProfile } from '../../src/config/load-profile.js';
import { ConfigError } from '../../src/core/errors.js';
import { repoRoot, runCli } from '../helpers/cli.js';

const monitorsDir = join(repoRoot, 'monitors');
const configDir = join(repoRoot, 'config');
const kmsg = join(monitorsDir, 'kernel-monitor.json');
const filelog = join(monitorsDir, 'kernel-monitor-filelog.json');

const thrown = (fn: () => void): unknown => {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
};

test('the shipped kmsg and filelog kernel monitors together: refused, naming both files, the type and the field', async () => {
  const configs = [await readMonitorFile(kmsg), await readMonitorFile(filelog)];
  const e = thrown(() => checkConditionOwners(configs));
  expect(e).toBeInstanceOf(ConfigError);
  expect((e as ConfigError).file).toBe(filelog);
  expect((e as ConfigError).field).toBe('conditions[0].type');
  expect((e as ConfigError).problem).toMatch(new RegExp(`^condition type "KernelDeadlock" is also declared by ${kmsg}; `));
});

test.each(readdirSync(configDir).filter((f) => f.endsWith('.json')).map((f) => [f.replace(/\.json$/, '')]))('shipped profile %s: no condition type has two monitor files', async (name) => {
  const profile = await readProfile(name, { configDir, monitorsDir });
  const configs = await Promise.all(profile.monitorFiles.map((f) => readMonitorFile(f)));
  expect(configs.length).toBeGreaterThan(1);
  expect(() => checkConditionOwners(configs)).not.toThrow();
});

test('a file listed twice is one owner; distinct types pass', async () => {
  const k = await readMonitorFile(kmsg);
  expect(() => checkConditionOwners([k, k])).not.toThrow();
  expect(() => checkConditionOwners([k, { ...k, file: '/other.json', conditions: [] }])).not.toThrow();
  expect(() => checkConditionOwners([k, { ...k, file: '/other.json', conditions: [k.conditions[2]!] }])).toThrow(/^\/other\.json: conditions\[0\]\.type: condition type "CperHardwareErrorFatal" is also declared by/);
});

describe('two monitor files of one type, by the user', () => {
  const dir = mkdtempSync(join(tmpdir(), 'npd-owners-'));
  const monitor = (name: string, source: string): string => {
    const file = join(dir, name);
    writeFileSync(file, JSON.stringify({
      plugin: 'filelog',
      pluginConfig: { timestamp: '^.{15}', message: '(.*)', timestampFormat: 'Jan _2 15:04:05' },
      logPath: join(dir, `${source}.log`),
      source,
      conditions: [{ type: 'DiskBroken', reason: 'DiskIsFine', message: 'ok' }],
      rules: [{ type: 'permanent', condition: 'DiskBroken', reason: 'DiskFailed', pattern: 'I/O error' }, { type: 'recovery', condition: 'DiskBroken', pattern: 'disk ok' }],
    }));
    return file;
  };
  const a = monitor('a.json', 'a');
  const b = monitor('b.json', 'b');
  const expected = `${b}: conditions[0].type: condition type "DiskBroken" is also declared by ${a}`;

  test('validateFiles: each file ok alone, the pair is not', async () => {
    expect((await validateFiles([a])).ok).toBe(true);
    const r = await validateFiles([a, b]);
    expect(r.ok).toBe(false);
    expect(r.messages.at(-1)).toContain(expected);
  });

  test('the agent refuses to start with both: exit 2, one line', async () => {
    const r = await runCli(['run', '--standalone', '--no-reload', '--port=0', '--prometheus-port=0', `--config.system-log-monitor=${a},${b}`]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(new RegExp(`^npd: ${expected.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')};`));
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
