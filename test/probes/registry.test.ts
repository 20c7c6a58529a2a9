import { mkdtemp, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseMonitorConfig } from '../../src/config/load-monitor.js';
import { ConfigError } from '../../src/core/errors.js';
import { createRuleCheck } from '../../src/monitors/rule-check.js';
import { builtInProbes, probeFactory, probeRegistry } from '../../src/probes/registry.js';
import { readFile } from 'node:fs/promises';
import { createManualClock } from '../../src/core/clock.js';
import { createTestContext } from './probe-context.js';

const where = { file: 'm.json', field: 'rules[0].options' };

describe('option validation', () => {
  test.each([
    ['fd', { thresholdPercent: 180 }, 'rules[0].options.thresholdPercent', 'fd.thresholdPercent must be 1–100, got 180'],
    ['fd', { thresholdPercent: '80' }, 'rules[0].options.thresholdPercent', 'fd.thresholdPercent must be 1–100, got "80"'],
    ['pid', { thresholdPercent: 85, clearPercent: 90 }, 'rules[0].options.clearPercent', 'pid.clearPercent must not be above pid.thresholdPercent (85), got 90'],
    ['ntp', { interval: 1 }, 'rules[0].options.interval', 'ntp.interval is not an option of probe ntp (known: daemons)'],
    ['ntp', { daemons: ['systemd-timesyncd'] }, 'rules[0].options.daemons', 'ntp.daemons entries must be at most 15 characters, as the kernel cuts comm (use "systemd-timesyn"), got "systemd-timesyncd"'],
    ['inodes', { mountPoints: [] }, 'rules[0].options.mountPoints', 'inodes.mountPoints must be a non-empty list of strings, got []'],
    ['public-network', {}, 'rules[0].options.targets', 'public-network.targets is required'],
    ['public-network', { targets: ['127.0.0.1'] }, 'rules[0].options.targets', 'public-network.targets must be "host:port" entries, got "127.0.0.1"'],
    ['ram-role', {}, 'rules[0].options.endpoint', 'ram-role.endpoint is required'],
    ['ram-role', { endpoint: 'ftp://x' }, 'rules[0].options.endpoint', 'ram-role.endpoint must be an http(s) origin like "http://host", got "ftp://x"'],
    ['ram-role', { endpoint: 'http://127.0.0.1:1', timeout: 'soon' }, 'rules[0].options.timeout', 'ram-role.timeout must be a duration like "5s", got "soon"'],
    ['runtime', { dockerSocket: '' }, 'rules[0].options.dockerSocket', 'runtime.dockerSocket must be a non-empty string, got ""'],
    ['memleak', { thresholdPercent: 0 }, 'rules[0].options.thresholdPercent', 'memleak.thresholdPercent must be 1–100, got 0'],
    ['memleak', { thresholdPercent: 15, clearPercent: 20 }, 'rules[0].options.clearPercent', 'memleak.clearPercent must not be above memleak.thresholdPercent (15), got 20'],
    ['memleak', { minMiB: -1 }, 'rules[0].options.minMiB', 'memleak.minMiB must be an integer ≥ 0, got -1'],
    ['memleak', { minMiB: '800' }, 'rules[0].options.minMiB', 'memleak.minMiB must be an integer ≥ 0, got "800"'],
    ['memleak', { minBytes: 1 }, 'rules[0].options.minBytes', 'memleak.minBytes is not an option of probe memleak (known: thresholdPercent, clearPercent, minMiB)'],
    ['cgroups', { max: 0 }, 'rules[0].options.max', 'cgroups.max must be an integer ≥ 1, got 0'],
    ['cgroups', { max: 999.5 }, 'rules[0].options.max', 'cgroups.max must be an integer ≥ 1, got 999.5'],
    ['cgroups', { controllers: 'memory' }, 'rules[0].options.controllers', 'cgroups.controllers must be a non-empty list of strings, got "memory"'],
    ['dentry', { max: '1e8' }, 'rules[0].options.max', 'dentry.max must be an integer ≥ 1, got "1e8"'],
    ['dentry', { max: 1e300 }, 'rules[0].options.max', 'dentry.max must be an integer ≥ 1, got 1e+300'],
    ['memfrag', { minOrder: 11 }, 'rules[0].options.minOrder', 'memfrag.minOrder must be an integer 0–10, got 11'],
    ['memfrag', { minBlocks: 0 }, 'rules[0].options.minBlocks', 'memfrag.minBlocks must be an integer ≥ 1, got 0'],
    ['memfrag', { minMemoryGiB: 4.5 }, 'rules[0].options.minMemoryGiB', 'memfrag.minMemoryGiB must be an integer ≥ 0, got 4.5'],
    ['process', {}, 'rules[0].options.names', 'process.names is required'],
    ['process', { names: ['irqbalance', ''] }, 'rules[0].options.names', 'process.names must be a non-empty list of strings, got ["irqbalance",""]'],
    ['process', { names: ['kube-controller-manager'] }, 'rules[0].options.names', 'process.names entries must be at most 15 characters, as the kernel cuts comm (use "kube-controller"), got "kube-controller-manager"'],
    ['instance-expiry', {}, 'rules[0].options.endpoint', 'instance-expiry.endpoint is required'],
    ['instance-expiry', { endpoint: 'http://127.0.0.1:9/latest' }, 'rules[0].options.endpoint', 'instance-expiry.endpoint must be an http(s) origin like "http://host", got "http://127.0.0.1:9/latest"'],
    ['instance-expiry', { endpoint: 'http://127.0.0.1:1', timeout: 5 }, 'rules[0].options.timeout', 'instance-expiry.timeout must be a duration like "5s", got 5'],
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
    expect(() => probeFactory('disk', where)).toThrow('unknown probe "disk" (known: fd, pid, inodes, ntp, public-network, ram-role, runtime, conntrack, memleak, cgroups, dentry, memfrag, process, hung-process, csi-hung-process, instance-expiry)');
  });
  test('defaults are valid for every probe that needs no options', () => {
    for (const name of ['fd', 'pid', 'inodes', 'ntp', 'runtime', 'conntrack', 'memleak', 'cgroups', 'dentry', 'memfrag'] as const) {
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

describe('count checks (cgroups, dentry) and memleak keep hysteresis state and publish their ratio', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'npd-counts-'));
    await mkdir(join(dir, 'sys/fs'), { recursive: true });
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));
  const signal = new AbortController().signal;

  test('cgroups: problem at max, held to 95 %, cleared below; missing controllers skipped', async () => {
    const ctx = createTestContext({ procRoot: dir });
    const check = probeRegistry.cgroups({ max: 100 }, ctx, where);
    const step = async (memory: number | undefined): Promise<string> => {
      const rows = memory === undefined ? 'garbage\n' : `#subsys_name\thierarchy\tnum_cgroups\tenabled\nmemory\t0\t${memory}\t1\n`;
      await writeFile(join(dir, 'cgroups'), rows);
      return (await check(signal)).status;
    };
    expect([await step(99), await step(100), await step(96), await step(undefined), await step(95), await step(94), await step(96)]).toEqual([
      'ok', 'problem', 'problem', 'unknown', 'problem', 'ok', 'ok',
    ]);
    expect(ctx.recorded.watermarks.map((w) => w.ratio)).toEqual([0.99, 1, 0.96, 0.95, 0.94, 0.96]);
    expect(ctx.recorded.watermarks[0]).toMatchObject({ resource: 'cgroups', target: 'node' });
  });
  test('cgroups: the default controllers are memory and cpuacct', async () => {
    await writeFile(join(dir, 'cgroups'), '#subsys_name\thierarchy\tnum_cgroups\tenabled\nmemory\t4\t10\t1\ncpuacct\t2\t150\t1\npids\t7\t900\t1\n');
    const r = await probeRegistry.cgroups({ max: 100 }, createTestContext({ procRoot: dir }), where)(signal);
    expect(r).toEqual({ status: 'problem', message: 'cgroups: memory 10, cpuacct 150 (max 100)', ratio: 1.5 });
  });
  test('dentry: problem at max, held to 95 %, cleared below', async () => {
    const ctx = createTestContext({ procRoot: dir });
    const check = probeRegistry.dentry({ max: 1000 }, ctx, where);
    const step = async (n: number): Promise<string> => {
      await writeFile(join(dir, 'sys/fs/dentry-state'), `${n}\t0\t45\t0\t0\t0\n`);
      return (await check(signal)).status;
    };
    expect([await step(999), await step(1000), await step(950), await step(949)]).toEqual(['ok', 'problem', 'problem', 'ok']);
    expect(ctx.recorded.watermarks.map((w) => [w.resource, w.ratio])).toEqual([['dentry', 0.999], ['dentry', 1], ['dentry', 0.95], ['dentry', 0.949]]);
  });
  test('memleak: problem above 15 %, held to 10 % (default threshold − 5), ratio published as slab-unreclaimable', async () => {
    const ctx = createTestContext({ procRoot: dir });
    const check = probeRegistry.memleak({}, ctx, where);
    const step = async (slabMiB: number): Promise<string> => {
      await writeFile(join(dir, 'meminfo'), `MemTotal:       ${16384 * 1024} kB\nSUnreclaim:     ${slabMiB * 1024} kB\n`);
      return (await check(signal)).status;
    };
    expect([await step(2000), await step(2600), await step(1700), await step(1600)]).toEqual(['ok', 'problem', 'problem', 'ok']);
    expect(ctx.recorded.watermarks.map((w) => w.resource)).toEqual(['slab-unreclaimable', 'slab-unreclaimable', 'slab-unreclaimable', 'slab-unreclaimable']);
    expect(ctx.recorded.watermarks[1]?.ratio).toBeCloseTo(2600 / 16384);
  });
  test('memfrag and process through the registry use their options', async () => {
    await writeFile(join(dir, 'meminfo'), `MemTotal:       ${2048 * 1024} kB\n`);
    expect(await probeRegistry.memfrag({}, createTestContext({ procRoot: dir }), where)(signal)).toMatchObject({ status: 'ok', message: 'not checked: memory is 2048 MiB, below 4 GiB' });
    expect(await probeRegistry.memfrag({ minMemoryGiB: 1 }, createTestContext({ procRoot: dir }), where)(signal)).toMatchObject({ status: 'unknown', cause: 'NoData' });
    const ctx = createTestContext({ procRoot: fileURLToPath(new URL('../fixtures/proc/process-irqbalance', import.meta.url)) });
    expect(await probeRegistry.process({ names: ['irqbalance'] }, ctx, where)(signal)).toEqual({ status: 'ok', message: 'irqbalance is running (pid 612)' });
    expect(await probeRegistry.ntp({ daemons: ['kubelet'] }, ctx, where)(signal)).toEqual({ status: 'ok', message: 'NTP service is running (kubelet, pid 700)' });
  });
});

describe('instance-expiry through the registry: ctx.fetch under the timeout option', () => {
  const signal = new AbortController().signal;
  test('the endpoint and the answer', async () => {
    const asked: string[] = [];
    const fake = (async (url: string | URL | Request) => {
      asked.push(String(url));
      return new Response('Not Found', { status: 404 });
    }) as typeof fetch;
    const check = probeRegistry['instance-expiry']({ endpoint: 'http://metadata.test' }, createTestContext({ fetch: fake }), where);
    expect(await check(signal)).toEqual({ status: 'ok', message: 'instance is not going to be terminated' });
    expect(asked).toEqual(['http://metadata.test/latest/meta-data/instance/spot/termination-time']);
  });
  test('a fetch that never answers ends at options.timeout on the clock', async () => {
    const clock = createManualClock();
    const hang = ((_url: unknown, init?: RequestInit) => new Promise<Response>((_r, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)))) as typeof fetch;
    const check = probeRegistry['instance-expiry']({ endpoint: 'http://metadata.test', timeout: '2s' }, createTestContext({ fetch: hang, clock }), where);
    const run = check(signal);
    await clock.advance(1999);
    let settled = false;
    void run.then(() => (settled = true));
    await new Promise((r) => setImmediate(r));
    expect(settled).toBe(false);
    await clock.advance(1);
    const r = await run;
    expect(r).toMatchObject({ status: 'unknown', cause: 'Timeout' });
    expect(r.message).toContain('timed out after 2000ms');
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

describe('a probe is one file: its definition, registered by import', () => {
  const probesDir = fileURLToPath(new URL('../../src/probes/', import.meta.url));
  test('every ProbeDefinition exported by a file in src/probes is in the registry under its name', async () => {
    const defined: string[] = [];
    for (const f of await readdir(probesDir)) {
      const text = await readFile(join(probesDir, f), 'utf8');
      for (const m of text.matchAll(/export const \w+: ProbeDefinition<'([^']+)'>/g)) defined.push(m[1] as string);
    }
    expect(defined.length).toBeGreaterThan(0);
    expect([...defined].sort()).toEqual(Object.keys(probeRegistry).sort());
  });
  test('names are unique', () => {
    const names = builtInProbes.map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
  });
});
