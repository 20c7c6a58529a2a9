import { probeNtp } from '../../src/probes/ntp.js';
import { inodeRatio, probeInodes, type InodeCounts } from '../../src/probes/inodes.js';
import { procFixture } from './probe-context.js';

describe('probeNtp', () => {
  test.each([
    ['ntp-chronyd', 'ok', 'NTP service is running (chronyd, pid 523)'],
    ['ntp-timesyncd', 'ok', 'NTP service is running (systemd-timesyn, pid 412)'],
    ['ntp-none', 'problem', 'NTP service is not running'],
  ])('%s → %s', async (fixture, status, message) => {
    expect(await probeNtp(procFixture(fixture))).toEqual({ status, message });
  });
  test.each([
    ['ntp-no-processes', 'NoData'],
    ['no-such-tree', 'NoData'],
  ])('%s → unknown (%s)', async (fixture, cause) => {
    expect(await probeNtp(procFixture(fixture))).toMatchObject({ status: 'unknown', cause });
  });
  test('daemons replaces the list of names', async () => {
    expect(await probeNtp(procFixture('ntp-chronyd'), ['ntpd'])).toEqual({ status: 'problem', message: 'NTP service is not running' });
    expect(await probeNtp(procFixture('ntp-none'), ['kubelet'])).toMatchObject({ status: 'ok' });
  });
});

describe('probeInodes', () => {
  const fake = (table: Record<string, InodeCounts | Error>) => async (p: string): Promise<InodeCounts> => {
    const v = table[p];
    if (v === undefined) throw Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT' });
    if (v instanceof Error) throw v;
    return v;
  };
  test('the worst mount decides, every mount is reported', async () => {
    const r = await probeInodes(['/', '/var/lib'], { thresholdPercent: 80 }, fake({ '/': { files: 1000, ffree: 900 }, '/var/lib': { files: 1000, ffree: 150 } }));
    expect(r).toMatchObject({ status: 'problem', message: 'current inode usage is 85% on /var/lib', ratio: 0.85 });
    expect(r.mounts).toEqual([{ mountPoint: '/', ratio: 0.1 }, { mountPoint: '/var/lib', ratio: 0.85 }]);
  });
  test('a filesystem without an inode limit is skipped', async () => {
    const r = await probeInodes(['/'], { thresholdPercent: 80 }, fake({ '/': { files: 0, ffree: 0 } }));
    expect(r).toMatchObject({ status: 'ok', message: 'no inode limit on /' });
  });
  test('a missing mount point is unknown NoData; with others present, it is named in the message', async () => {
    expect(await probeInodes(['/gone'], { thresholdPercent: 80 }, fake({}))).toMatchObject({ status: 'unknown', cause: 'NoData' });
    const r = await probeInodes(['/', '/gone'], { thresholdPercent: 80 }, fake({ '/': { files: 100, ffree: 90 } }));
    expect(r).toMatchObject({ status: 'ok', message: "current inode usage is 10% on / (couldn't statfs /gone: ENOENT)" });
  });
  test('the real statfs of / answers', async () => {
    const r = await probeInodes(['/'], { thresholdPercent: 100 });
    expect(r.status).not.toBe('unknown');
  });
  test.each([
    [{ files: 100, ffree: 25 }, 0.75],
    [{ files: 0, ffree: 0 }, undefined],
  ])('inodeRatio(%j)', (c, want) => expect(inodeRatio(c)).toBe(want));
});
