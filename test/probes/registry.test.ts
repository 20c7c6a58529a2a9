import { mkdtemp, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseMonitorConfig } from '../../src/config/load-monitor.js';
import { ConfigError } from '../../src/errors.js';
import { createRuleCheck } from '../../src/monitors/probe-check.js';
import { probeFactory, probeRegistry } from '../../src/probes/registry.js';
import { readFile } from 'node:fs/promises';
import { createTestContext } from './probe-context.js';

const where = { file: 'm.json', field: 'rules[0].options' };

describe('option validation', () => {
  test.each([
    ['fd', { thresholdPercent: 180 }, 'rules[0].options.thresholdPercent', 'fd.thresholdPercent must be 1–100, got 180'],
    ['fd', { thresholdPercent: '80' }, 'rules[0].options.thresholdPercent', 'fd.thresholdPercent must be 1–100, got "80"'],
    ['pid', { thresholdPercent: 85, clearPercent: 90 }, 'rules[0].options.clearPercent', 'pid.clearPercent must not be above pid.thresholdPercent (85), got 90'],
    ['ntp', { interval: 1 }, 'rules[0].options.interval', 'ntp.interval is not an option of probe ntp (known: none)'],
    ['inodes', { mountPoints: [] }, 'rules[0].options.mountPoints', 'inodes.mountPoints must be a non-empty list of strings, got []'],
    ['public-network', {}, 'rules[0].options.targets', 'public-network.targets is required'],
    ['public-network', { targets: ['127.0.0.1'] }, 'rules[0].options.targets', 'public-network.targets must be "host:port" entries, got "127.0.0.1"'],
    ['ram-role', {}, 'rules[0].options.endpoint', 'ram-role.endpoint is required'],
    ['ram-role', { endpoint: 'ftp://x' }, 'rules[0].options.endpoint', 'ram-role.endpoint must be an http(s) origin like "http://host", got "ftp://x"'],
    ['ram-role', { endpoint: 'http://127.0.0.1:1', timeout: 'soon' }, 'rules[0].options.timeout', 'ram-role.timeout must be a duration like "5s", got "soon"'],
    ['runtime', { dockerSocket: '' }, 'rules[0].options.dockerSocket', 'runtime.dockerSocket must be a non-empty string, got ""'],
  ])('%s %j', (name, options, field, problem) => {
    const factory = probeFactory(name, where);
    expect(() => factory(options, createTestContext(), where)).toThrow(ConfigError);
    try {
      factory(options, createTestContext(), where);
    } catch (err) {
      expect(err).toMatchObject({ file: 'm.json', field, problem });
    }
  });
  test('an unknown probe lists the known names', () => {
    expect(() => probeFactory('disk', where)).toThrow('unknown probe "disk" (known: fd, pid, inodes, ntp, public-network, ram-role, runtime, conntrack)');
  });
  test('defaults are valid for every probe that needs no options', () => {
    for (const name of ['fd', 'pid', 'inodes', 'ntp', 'runtime', 'conntrack'] as const) {
      expect(typeof probeRegistry[name]({}, createTestContext(), where)).toBe('function');
    }
  });
});

describe('watermark checks keep hysteresis state in the closure', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'npd-fd-'));
    await mkdir(join(dir, 'sys/fs'), { recursive: true });
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));
  test('problem above 80 %, held at 77 %, cleared below 75 %, unknown keeps the state', async () => {
    const ctx = createTestContext({ procRoot: dir });
    const check = probeRegistry.fd({ thresholdPercent: 80 }, ctx, where);
    const signal = new AbortController().signal;
    const step = async (allocated: number | undefined): Promise<string> => {
      if (allocated === undefined) await writeFile(join(dir, 'sys/fs/file-nr'), 'garbage');
      else await writeFile(join(dir, 'sys/fs/file-nr'), `${allocated}\t0\t1000\n`);
      return (await check(signal)).status;
    };
    expect([await step(770), await step(810), await step(770), await step(undefined), await step(760), await step(749), await step(770)]).toEqual([
      'ok', 'problem', 'problem', 'unknown', 'problem', 'ok', 'ok',
    ]);
    expect(ctx.recorded.watermarks.map((w) => w.ratio)).toEqual([0.77, 0.81, 0.77, 0.76, 0.749, 0.77]);
    expect(ctx.recorded.watermarks[0]).toMatchObject({ resource: 'fd', target: 'node' });
  });
});

describe('the prior seeds the hysteresis until the check has a state of its own', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'npd-fd-prior-'));
    await mkdir(join(dir, 'sys/fs'), { recursive: true });
    await writeFile(join(dir, 'sys/fs/file-nr'), '770\t0\t1000\n');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));
  const signal = new AbortController().signal;
  test('77 % (between clear 75 % and threshold 80 %): problem when the prior says so, ok otherwise', async () => {
    const ctx = createTestContext({ procRoot: dir });
    const carried = probeRegistry.fd({ thresholdPercent: 80 }, ctx, where);
    const fresh = probeRegistry.fd({ thresholdPercent: 80 }, ctx, where);
    expect((await carried(signal, { problem: true })).status).toBe('problem');
    expect((await fresh(signal, { problem: false })).status).toBe('ok');
    expect((await fresh(signal)).status).toBe('ok');
  });
  test("after its first result the check's own state wins over the prior", async () => {
    const check = probeRegistry.fd({ thresholdPercent: 80 }, createTestContext({ procRoot: dir }), where);
    expect((await check(signal, { problem: false })).status).toBe('ok');
    expect((await check(signal, { problem: true })).status).toBe('ok');
  });
});

describe('shipped monitor files', () => {
  const monitorsDir = fileURLToPath(new URL('../../monitors/', import.meta.url));
  test('every probe monitor parses, names registered probes and builds its checks', async () => {
    const files = (await readdir(monitorsDir)).filter((f) => f.endsWith('.json'));
    let probeRules = 0;
    for (const f of files) {
      const path = join(monitorsDir, f);
      const text = await readFile(path, 'utf8');
      const config = parseMonitorConfig(text, path, { probeNames: Object.keys(probeRegistry) });
      if (config.kind !== 'probe') continue;
      expect(text).toBe(`${JSON.stringify(JSON.parse(text), null, 2)}\n`);
      config.rules.forEach((r, i) => {
        if (r.probe === undefined) return;
        probeRules++;
        expect(typeof createRuleCheck(config, i, createTestContext())).toBe('function');
      });
    }
    expect(probeRules).toBeGreaterThanOrEqual(8);
  });
});
