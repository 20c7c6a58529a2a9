/**
 * The watermark probes (fd, pid, conntrack, inodes) and ntp on proc roots written per test: which input
 * file a failure names, exact percentages, the parsers' edges, and each probe through the registry.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { probeConntrack } from '../../src/probes/conntrack.js';
import { parseFileNr, probeFd } from '../../src/probes/fd.js';
import { probeInodes, type InodeCounts } from '../../src/probes/inodes.js';
import { probeNtp } from '../../src/probes/ntp.js';
import { parseLoadavgThreads, probePid } from '../../src/probes/pid.js';
import { probeRegistry } from '../../src/probes/registry.js';
import { isOverCount, isOverWatermark, percentText } from '../../src/probes/watermark.js';
import { configProblem, createTestContext } from './probe-context.js';

const where = { file: 'm.json', field: 'rules[0].options' };
const signal = new AbortController().signal;
let root: string;
let roots = 0;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'npd-watermark-inputs-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

/** A fresh proc root holding `files` (path → content). */
async function procRoot(files: Record<string, string>): Promise<string> {
  const dir = join(root, String(++roots));
  await mkdir(dir, { recursive: true });
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

describe('exact percentages', () => {
  // t/100 * 100 is above t in floating point for these (7.000000000000001), or below (28.999999999999996).
  test.each([7, 14, 28, 29, 55, 56, 57])('%i of 100: not above that percent as a threshold, and read as it', (t) => {
    expect(isOverWatermark(t / 100, { thresholdPercent: t })).toBe(false);
    expect(isOverWatermark(t / 100, { thresholdPercent: t - 1 })).toBe(true);
    expect(isOverWatermark(t / 100, { thresholdPercent: 90, clearPercent: t, wasProblem: true })).toBe(true);
    expect(percentText((t * 10) / 1000)).toBe(`${t}%`);
  });
  test('percentText rounds down', () => {
    expect([percentText(0.809), percentText(0.8099999), percentText(0), percentText(1)]).toEqual(['80%', '80%', '0%', '100%']);
  });
  test('fd at exactly its threshold (550 of 1000 at 55 %) is ok and reads 55 %', async () => {
    const proc = await procRoot({ 'sys/fs/file-nr': '550\t0\t1000\n' });
    expect(await probeFd(proc, { thresholdPercent: 55 })).toEqual({ status: 'ok', message: 'current fd is 550 and max is 1000, 55% used', ratio: 0.55 });
  });
  test('a count is held only when it was a problem', () => {
    expect(isOverCount(96, { max: 100 })).toBe(false);
    expect(isOverCount(96, { max: 100, wasProblem: true })).toBe(true);
  });
});

describe('fd', () => {
  test.each([
    ['-1\t0\t100', undefined],
    ['1\t0\t100\t4', undefined],
    ['485  0  2466170', { allocated: 485, unused: 0, max: 2466170 }],
    ['100\t25\t1000', { allocated: 100, unused: 25, max: 1000 }],
  ])('parseFileNr(%j)', (text, want) => expect(parseFileNr(text)).toEqual(want));
  test('an unparsable file-nr is quoted, cut to 40 characters', async () => {
    const proc = await procRoot({ 'sys/fs/file-nr': 'x'.repeat(60) });
    expect(await probeFd(proc, { thresholdPercent: 80 })).toEqual({
      status: 'unknown', cause: 'Unparsable', message: `couldn't parse ${join(proc, 'sys/fs/file-nr')}: "${'x'.repeat(40)}"`,
    });
  });
  test('clearPercent may equal thresholdPercent, not exceed it', async () => {
    expect(configProblem('fd', { clearPercent: 90 })).toBe('fd.clearPercent must not be above fd.thresholdPercent (80), got 90');
    const proc = await procRoot({ 'sys/fs/file-nr': '850\t0\t1000\n' });
    const check = probeRegistry.fd({ thresholdPercent: 85, clearPercent: 85 }, createTestContext({ procRoot: proc }), where);
    expect((await check(signal, { problem: true })).status).toBe('problem');
    await writeFile(join(proc, 'sys/fs/file-nr'), '849\t0\t1000\n');
    expect((await check(signal)).status).toBe('ok');
  });
});

describe('pid', () => {
  const good = { loadavg: '0.00 0.14 0.30 1/900 5964\n', 'sys/kernel/pid_max': '1000\n', 'sys/kernel/threads-max': '2000\n' };
  test.each([
    ['x 0.00 0.14 0.30 1/92 5964', undefined],
    ['0.00 0.14 0.30 1/92 5964 7', undefined],
    ['0.00 0.14 0.30 12/92 5964', 92],
  ])('parseLoadavgThreads(%j)', (text, want) => expect(parseLoadavgThreads(text)).toBe(want));
  test.each([
    ['loadavg', 'garbage'],
    ['sys/kernel/pid_max', '0\n'],
    ['sys/kernel/pid_max', 'x\n'],
    ['sys/kernel/threads-max', '0\n'],
    ['sys/kernel/threads-max', 'x\n'],
  ])('%s = %j → unknown naming that file', async (file, text) => {
    const proc = await procRoot({ ...good, [file]: text });
    expect(await probePid(proc, { thresholdPercent: 85 })).toEqual({ status: 'unknown', cause: 'Unparsable', message: `couldn't parse ${join(proc, file)}` });
  });
  test('through the registry: the pid watermark of the proc root', async () => {
    const ctx = createTestContext({ procRoot: await procRoot(good) });
    expect(await probeRegistry.pid({}, ctx, where)(signal)).toEqual({ status: 'problem', message: 'current pids is 900 and max is 1000, 90% used', ratio: 0.9 });
    expect(ctx.recorded.watermarks).toEqual([{ resource: 'pid', target: 'node', ratio: 0.9 }]);
  });
});

describe('conntrack', () => {
  const count = 'sys/net/netfilter/nf_conntrack_count';
  const max = 'sys/net/netfilter/nf_conntrack_max';
  test.each([
    ['count missing', { [max]: '1000\n' }, 'NoData', `couldn't read {count}: ENOENT`],
    ['max missing', { [count]: '10\n' }, 'NoData', `couldn't read {max}: ENOENT`],
    ['count garbage', { [count]: 'x\n', [max]: '1000\n' }, 'Unparsable', `couldn't parse {count}`],
    ['max garbage', { [count]: '10\n', [max]: 'x\n' }, 'Unparsable', `couldn't parse {max}`],
    ['max 0', { [count]: '10\n', [max]: '0\n' }, 'Unparsable', `couldn't parse {max}`],
  ])('%s → unknown naming the file', async (_name, files, cause, message) => {
    const proc = await procRoot(files);
    const want = message.replace('{count}', join(proc, count)).replace('{max}', join(proc, max));
    expect(await probeConntrack(proc, { thresholdPercent: 90 })).toEqual({ status: 'unknown', cause, message: want });
  });
  test('exactly at the threshold is not over it: held says "not yet below", else ok', async () => {
    const proc = await procRoot({ [count]: '500\n', [max]: '1000\n' });
    expect(await probeConntrack(proc, { thresholdPercent: 50, wasProblem: true })).toEqual({
      status: 'problem', message: 'Conntrack table usage 50%, not yet below 45%: 500 out of 1000', ratio: 0.5,
    });
    expect(await probeConntrack(proc, { thresholdPercent: 50 })).toEqual({ status: 'ok', message: 'Conntrack table usage 50%: 500 out of 1000', ratio: 0.5 });
  });
  test('through the registry: default 90 %, named in option errors, published as conntrack', async () => {
    expect(configProblem('conntrack', { clearPercent: 95 })).toBe('conntrack.clearPercent must not be above conntrack.thresholdPercent (90), got 95');
    const ctx = createTestContext({ procRoot: await procRoot({ [count]: '950\n', [max]: '1000\n' }) });
    expect(await probeRegistry.conntrack({}, ctx, where)(signal)).toMatchObject({ status: 'problem', message: 'Conntrack table usage over 90%: 950 out of 1000' });
    expect(ctx.recorded.watermarks).toEqual([{ resource: 'conntrack', target: 'node', ratio: 0.95 }]);
  });
});

describe('inodes', () => {
  const fake = (table: Record<string, InodeCounts | string>) => async (p: string): Promise<InodeCounts> => {
    const v = table[p] ?? 'ENOENT';
    if (typeof v === 'string') throw Object.assign(new Error(`${v}: ${p}`), { code: v });
    return v;
  };
  test('the worst mount decides wherever it is listed; of equal ones the first is named', async () => {
    const r = await probeInodes(['/a', '/b'], { thresholdPercent: 80 }, fake({ '/a': { files: 100, ffree: 15 }, '/b': { files: 100, ffree: 90 } }));
    expect(r).toMatchObject({ status: 'problem', message: 'current inode usage is 85% on /a', ratio: 0.85 });
    const tie = await probeInodes(['/a', '/b'], { thresholdPercent: 80 }, fake({ '/a': { files: 100, ffree: 50 }, '/b': { files: 10, ffree: 5 } }));
    expect(tie.message).toBe('current inode usage is 50% on /a');
  });
  test('every failure is named; the first decides the cause', async () => {
    const r = await probeInodes(['/x', '/y'], { thresholdPercent: 80 }, fake({ '/x': 'EACCES' }));
    expect(r).toEqual({ status: 'unknown', cause: 'PermissionDenied', message: "couldn't statfs /x: EACCES, /y: ENOENT", mounts: [] });
    const partial = await probeInodes(['/', '/x', '/y'], { thresholdPercent: 80 }, fake({ '/': { files: 10, ffree: 9 }, '/y': 'EIO' }));
    expect(partial.message).toBe("current inode usage is 10% on / (couldn't statfs /x: ENOENT, /y: EIO)");
  });
  test('no inode limit on any mount names them all', async () => {
    const r = await probeInodes(['/a', '/b'], { thresholdPercent: 80 }, fake({ '/a': { files: 0, ffree: 0 }, '/b': { files: 0, ffree: 0 } }));
    expect(r).toEqual({ status: 'ok', message: 'no inode limit on /a, /b', mounts: [] });
  });
  test('through the registry: / by default, its ratio published per mount point', async () => {
    expect(configProblem('inodes', { clearPercent: 85 })).toBe('inodes.clearPercent must not be above inodes.thresholdPercent (80), got 85');
    const ctx = createTestContext();
    const r = await probeRegistry.inodes({ thresholdPercent: 100 }, ctx, where)(signal);
    expect(r.status).toBe('ok');
    expect(r.message).toMatch(/^current inode usage is \d+% on \/$/);
    expect(ctx.recorded.watermarks).toEqual([{ resource: 'inodes', target: '/', ratio: r.ratio }]);
  });
});

describe('ntp', () => {
  test.each(['ntpd', 'chronyd', 'systemd-timesyn', 'openntpd', 'ntpsec'])('%s running is ok by default', async (name) => {
    const proc = await procRoot({ '1/comm': 'systemd\n', '77/comm': `${name}\n` });
    expect(await probeNtp(proc)).toEqual({ status: 'ok', message: `NTP service is running (${name}, pid 77)` });
  });
});
