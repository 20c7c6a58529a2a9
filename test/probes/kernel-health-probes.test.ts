import { mkdtemp, readdir, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCgroups, probeCgroups } from '../../src/probes/cgroups.js';
import { parseDentryState, probeDentry } from '../../src/probes/dentry.js';
import { largeFreeBlocks, parseBuddyinfo, probeMemfrag } from '../../src/probes/memfrag.js';
import { parseMeminfo, probeMemleak } from '../../src/probes/memleak.js';
import { timeDaemonNames } from '../../src/probes/ntp.js';
import { commMaxLength, findProcess, probeProcess } from '../../src/probes/process.js';
import { isOverCount } from '../../src/probes/watermark.js';
import { procFixture } from './probe-context.js';

describe('parsers', () => {
  test.each([
    ['MemTotal:        7864320 kB\nSUnreclaim:       180224 kB\nHugePages_Total:       0\n', { MemTotal: 7864320, SUnreclaim: 180224, HugePages_Total: 0 }],
    ['Active(anon):     123 kB\n', { 'Active(anon)': 123 }],
    ['MemTotal: lots\n', undefined],
    ['', undefined],
  ])('parseMeminfo(%j)', (text, want) => {
    const got = parseMeminfo(text);
    expect(got && Object.fromEntries(got)).toEqual(want);
  });
  test.each([
    ['#subsys_name\thierarchy\tnum_cgroups\tenabled\nmemory\t4\t312\t1\ncpuacct\t2\t240\t1\n', { memory: 312, cpuacct: 240 }],
    ['#subsys_name\thierarchy\tnum_cgroups\tenabled\n', {}],
    ['memory\t4\t312\t1\n', undefined],
    ['#subsys_name\thierarchy\tnum_cgroups\tenabled\nmemory\t4\tmany\t1\n', undefined],
  ])('parseCgroups(%j)', (text, want) => {
    const got = parseCgroups(text);
    expect(got && Object.fromEntries(got)).toEqual(want);
  });
  test.each([
    ['74296\t72941\t45\t0\t18353\t0\n', 74296],
    ['1 2 3 4 5 6', 1],
    ['74296\t72941\t45\n', undefined],
    ['-1 2 3 4 5 6', undefined],
    ['lots', undefined],
  ])('parseDentryState(%j)', (text, want) => expect(parseDentryState(text)).toBe(want));
  test('parseBuddyinfo and largeFreeBlocks', () => {
    const zones = parseBuddyinfo('Node 0, zone      DMA      0      0      0      0      0      0      0      0      1      1      3 \nNode 1, zone   Normal   9016   6928   4960   3260   1707    995    391    164     97     57    255 \n');
    expect(zones?.map((z) => [z.node, z.zone, z.free.length])).toEqual([[0, 'DMA', 11], [1, 'Normal', 11]]);
    expect(largeFreeBlocks(zones?.[1] as NonNullable<typeof zones>[number], 4)).toBe(1707 + 995 + 391 + 164 + 97 + 57 + 255);
    expect(largeFreeBlocks(zones?.[1] as NonNullable<typeof zones>[number], 10)).toBe(255);
    expect(parseBuddyinfo('Node 0, zone Normal lots\n')).toBeUndefined();
  });
  test.each([
    ['below', 940, false, {}, false],
    ['at max (ACK fires at ≥)', 1000, false, {}, true],
    ['held at 95 %', 950, true, {}, true],
    ['cleared below 95 %', 949, true, {}, false],
    ['held by an explicit clearBelow', 800, true, { clearBelow: 700 }, true],
    ['cleared below an explicit clearBelow', 699, true, { clearBelow: 700 }, false],
  ])('isOverCount: %s', (_name, count, wasProblem, extra, want) => {
    expect(isOverCount(count, { max: 1000, wasProblem, ...extra })).toBe(want);
  });
});

describe('probeMemleak', () => {
  const limits = { thresholdPercent: 15, clearPercent: 10, minMiB: 800 };
  test.each([
    ['memleak-ok', false, 'ok', 'unreclaimable slab is 176 MiB, 2% of 7680 MiB memory'],
    ['memleak-leak', false, 'problem', 'unreclaimable slab is 1234 MiB, 16% of 7680 MiB memory'],
    ['memleak-between', false, 'ok', 'unreclaimable slab is 999 MiB, 13% of 7680 MiB memory'],
    ['memleak-between', true, 'problem', 'unreclaimable slab is 999 MiB, 13% of 7680 MiB memory'],
    ['memleak-small-node', false, 'ok', 'unreclaimable slab is 640 MiB, 16% of 3840 MiB memory'],
  ])('%s (was problem: %s) → %s', async (fixture, wasProblem, status, message) => {
    const r = await probeMemleak(procFixture(fixture), { ...limits, wasProblem });
    expect(r).toMatchObject({ status, message });
    expect(r.ratio).toBeGreaterThan(0);
  });
  test('the MiB floor applies: the small node trips with minMiB 600', async () => {
    expect((await probeMemleak(procFixture('memleak-small-node'), { ...limits, minMiB: 600 })).status).toBe('problem');
  });
  test.each([
    ['does-not-exist', 'NoData', 'meminfo: ENOENT'],
    ['fd-ok', 'NoData', 'meminfo: ENOENT'],
    ['memleak-garbage', 'Unparsable', 'couldn\'t parse'],
    ['memleak-no-slab', 'Unparsable', 'no MemTotal or SUnreclaim'],
  ])('%s → unknown (%s)', async (fixture, cause, text) => {
    const r = await probeMemleak(procFixture(fixture), limits);
    expect(r).toMatchObject({ status: 'unknown', cause });
    expect(r.message).toContain(text);
  });
});

describe('probeCgroups', () => {
  const controllers = ['memory', 'cpuacct'];
  test.each([
    ['cgroups-ok', false, 'ok', 'cgroups: memory 312, cpuacct 240 (max 1000)'],
    ['cgroups-overflow', false, 'problem', 'cgroups: memory 1200, cpuacct 980 (max 1000)'],
    ['cgroups-between', false, 'ok', 'cgroups: memory 970, cpuacct 960 (max 1000)'],
    ['cgroups-between', true, 'problem', 'cgroups: memory 970, cpuacct 960 (max 1000)'],
    ['cgroups-v2', false, 'ok', 'cgroups: memory 84 (max 1000)'],
  ])('%s (was problem: %s) → %s', async (fixture, wasProblem, status, message) => {
    expect(await probeCgroups(procFixture(fixture), controllers, { max: 1000, wasProblem })).toMatchObject({ status, message });
  });
  test('the fullest controller is the ratio; another controller list reads other rows', async () => {
    expect((await probeCgroups(procFixture('cgroups-overflow'), controllers, { max: 1000 })).ratio).toBe(1.2);
    expect(await probeCgroups(procFixture('cgroups-overflow'), ['pids'], { max: 1000 })).toMatchObject({ status: 'ok', message: 'cgroups: pids 240 (max 1000)', ratio: 0.24 });
  });
  test.each([
    ['cgroups-none', 'NoData', 'none of memory, cpuacct is listed in'],
    ['cgroups-missing', 'NoData', 'cgroups: ENOENT'],
    ['cgroups-garbage', 'Unparsable', 'couldn\'t parse'],
  ])('%s → unknown (%s)', async (fixture, cause, text) => {
    const r = await probeCgroups(procFixture(fixture), controllers, { max: 1000 });
    expect(r).toMatchObject({ status: 'unknown', cause });
    expect(r.message).toContain(text);
  });
});

describe('probeDentry', () => {
  const max = 100_000_000;
  test.each([
    ['dentry-ok', false, 'ok', 'nr_dentry is 74296 and max is 100000000'],
    ['dentry-pressure', false, 'problem', 'nr_dentry is 123456789 and max is 100000000'],
    ['dentry-between', false, 'ok', 'nr_dentry is 97000000 and max is 100000000'],
    ['dentry-between', true, 'problem', 'nr_dentry is 97000000 and max is 100000000'],
  ])('%s (was problem: %s) → %s', async (fixture, wasProblem, status, message) => {
    expect(await probeDentry(procFixture(fixture), { max, wasProblem })).toMatchObject({ status, message });
  });
  test.each([
    ['dentry-missing', 'NoData'],
    ['does-not-exist', 'NoData'],
    ['dentry-garbage', 'Unparsable'],
  ])('%s → unknown (%s)', async (fixture, cause) => {
    const r = await probeDentry(procFixture(fixture), { max });
    expect(r).toMatchObject({ status: 'unknown', cause });
    expect(r.message).toContain('dentry-state');
  });
});

describe('probeMemfrag', () => {
  const limits = { minMemoryGiB: 4, minOrder: 4, minBlocks: 100 };
  test.each([
    ['memfrag-ok', 'ok', '3666 free blocks of order ≥ 4 in the Normal zone of node 0 (min 100)'],
    ['memfrag-fragmented', 'problem', 'memory is fragmented: 77 free blocks of order ≥ 4 in the Normal zone of node 1 (min 100)'],
    ['memfrag-small-node', 'ok', 'not checked: memory is 3840 MiB, below 4 GiB'],
  ])('%s → %s', async (fixture, status, message) => {
    expect(await probeMemfrag(procFixture(fixture), limits)).toEqual({ status, message });
  });
  test('options move the line: order ≥ 8 on the healthy node has 409 blocks, under a minimum of 500', async () => {
    expect(await probeMemfrag(procFixture('memfrag-ok'), { ...limits, minOrder: 8, minBlocks: 500 })).toMatchObject({ status: 'problem' });
    expect(await probeMemfrag(procFixture('memfrag-small-node'), { ...limits, minMemoryGiB: 2 })).toMatchObject({ status: 'problem' });
  });
  test.each([
    ['memfrag-no-normal', 'NoData', 'no Normal zone in'],
    ['memfrag-missing', 'NoData', 'buddyinfo: ENOENT'],
    ['does-not-exist', 'NoData', 'meminfo: ENOENT'],
    ['memfrag-garbage', 'Unparsable', 'couldn\'t parse'],
    ['memleak-garbage', 'Unparsable', 'no MemTotal'],
  ])('%s → unknown (%s)', async (fixture, cause, text) => {
    const r = await probeMemfrag(procFixture(fixture), limits);
    expect(r).toMatchObject({ status: 'unknown', cause });
    expect(r.message).toContain(text);
  });
});

describe('probeProcess and the shared scan', () => {
  test.each([
    ['process-irqbalance', ['irqbalance'], 'ok', 'irqbalance is running (pid 612)'],
    ['process-irqbalance', ['irqbalanced', 'kubelet'], 'ok', 'kubelet is running (pid 700)'],
    ['process-none', ['irqbalance'], 'problem', 'none of irqbalance is running'],
    ['process-none', ['irqbalance', 'irqd'], 'problem', 'none of irqbalance, irqd is running'],
  ])('%s %j → %s', async (fixture, names, status, message) => {
    expect(await probeProcess(procFixture(fixture), names)).toEqual({ status, message });
  });
  test.each([['ntp-no-processes'], ['no-such-tree']])('%s → unknown NoData', async (fixture) => {
    expect(await probeProcess(procFixture(fixture), ['irqbalance'])).toMatchObject({ status: 'unknown', cause: 'NoData' });
  });
  test('a pid whose comm is gone (the process exited) is skipped', async () => {
    expect(await findProcess(procFixture('ntp-none'), ['nothing'])).toEqual({ ok: true, found: undefined });
  });
  test('a process beyond the first chunks of 64 pids is found', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'npd-proc-'));
    try {
      for (let pid = 1; pid <= 200; pid++) {
        await mkdir(join(dir, String(pid)));
        await writeFile(join(dir, String(pid), 'comm'), pid === 200 ? 'irqbalance\n' : 'worker\n');
      }
      expect((await readdir(dir)).length).toBe(200);
      expect(await probeProcess(dir, ['irqbalance'])).toEqual({ status: 'ok', message: 'irqbalance is running (pid 200)' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
  test('the default time daemon names fit in comm', () => {
    for (const n of timeDaemonNames) expect(n.length).toBeLessThanOrEqual(commMaxLength);
  });
});
