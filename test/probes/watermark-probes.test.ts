import { probeConntrack } from '../../src/probes/conntrack.js';
import { parseFileNr, probeFd } from '../../src/probes/fd.js';
import { parseLoadavgThreads, probePid } from '../../src/probes/pid.js';
import { parseCount } from '../../src/probes/read-probe-file.js';
import { isOverWatermark } from '../../src/probes/watermark.js';
import { procFixture } from './probe-context.js';

describe('parsers', () => {
  test.each([
    ['840512\t0\t1048576\n', { allocated: 840512, unused: 0, max: 1048576 }],
    ['485 0 2466170', { allocated: 485, unused: 0, max: 2466170 }],
    ['not a number', undefined],
    ['1 2', undefined],
    ['10\t0\t0\n', undefined],
  ])('parseFileNr(%j)', (text, want) => expect(parseFileNr(text)).toEqual(want));
  test.each([
    ['0.00 0.14 0.30 1/92 5964\n', 92],
    ['1.00 1.00 1.00 3/28000 5964', 28000],
    ['garbage', undefined],
    ['0.00 0.14 0.30 1-92 5964', undefined],
  ])('parseLoadavgThreads(%j)', (text, want) => expect(parseLoadavgThreads(text)).toBe(want));
  test.each([['32768\n', 32768], ['-5\n', undefined], ['', undefined], ['12abc', undefined]])('parseCount(%j)', (t, want) => expect(parseCount(t)).toBe(want));
});

describe('hysteresis', () => {
  test.each([
    ['below clear, was ok', 0.7, false, false],
    ['between, was ok', 0.78, false, false],
    ['between, was problem', 0.78, true, true],
    ['at clear, was problem', 0.75, true, true],
    ['below clear, was problem', 0.7499, true, false],
    ['exactly threshold is not over', 0.8, false, false],
    ['above threshold', 0.8016, false, true],
  ])('%s', (_name, ratio, wasProblem, want) => {
    expect(isOverWatermark(ratio, { thresholdPercent: 80, wasProblem })).toBe(want);
  });
  test('explicit clearPercent', () => {
    expect(isOverWatermark(0.6, { thresholdPercent: 80, clearPercent: 50, wasProblem: true })).toBe(true);
    expect(isOverWatermark(0.49, { thresholdPercent: 80, clearPercent: 50, wasProblem: true })).toBe(false);
  });
});

describe('probeFd', () => {
  test.each([
    ['fd-ok', 'ok', 'current fd is 1024 and max is 1048576, 0% used'],
    ['fd-pressure', 'problem', 'current fd is 840512 and max is 1048576, 80% used'],
    ['fd-between', 'ok', 'current fd is 817889 and max is 1048576, 77% used'],
  ])('%s → %s', async (fixture, status, message) => {
    const r = await probeFd(procFixture(fixture), { thresholdPercent: 80 });
    expect(r).toMatchObject({ status, message });
    expect(r.ratio).toBeGreaterThan(0);
  });
  test('between the watermarks stays in problem when it was', async () => {
    expect((await probeFd(procFixture('fd-between'), { thresholdPercent: 80, wasProblem: true })).status).toBe('problem');
  });
  test.each([
    ['fd-missing', 'NoData'],
    ['fd-garbage', 'Unparsable'],
    ['fd-zero-max', 'Unparsable'],
    ['does-not-exist', 'NoData'],
  ])('%s → unknown (%s)', async (fixture, cause) => {
    const r = await probeFd(procFixture(fixture), { thresholdPercent: 80 });
    expect(r.status).toBe('unknown');
    expect(r.cause).toBe(cause);
    expect(r.message).toContain('file-nr');
  });
});

describe('probePid', () => {
  test.each([
    ['pid-ok', 'ok', 'current pids is 92 and max is 32768, 0% used'],
    ['pid-pressure', 'problem', 'current pids is 28000 and max is 32768, 85% used'],
    ['pid-threads-max', 'problem', 'current pids is 900 and max is 1000, 90% used'],
  ])('%s → %s', async (fixture, status, message) => {
    expect(await probePid(procFixture(fixture), { thresholdPercent: 85 })).toMatchObject({ status, message });
  });
  test.each([
    ['pid-garbage', 'Unparsable'],
    ['pid-missing-max', 'NoData'],
    ['fd-ok', 'NoData'],
  ])('%s → unknown (%s)', async (fixture, cause) => {
    expect(await probePid(procFixture(fixture), { thresholdPercent: 85 })).toMatchObject({ status: 'unknown', cause });
  });
});

describe('probeConntrack', () => {
  test.each([
    ['conntrack-ok', 'ok', 'Conntrack table usage 0%: 1000 out of 262144'],
    ['conntrack-full', 'problem', 'Conntrack table usage over 90%: 240000 out of 262144'],
  ])('%s → %s', async (fixture, status, message) => {
    expect(await probeConntrack(procFixture(fixture), { thresholdPercent: 90 })).toMatchObject({ status, message });
  });
  test('held by hysteresis says so', async () => {
    const r = await probeConntrack(procFixture('conntrack-full'), { thresholdPercent: 95, wasProblem: true });
    expect(r).toMatchObject({ status: 'problem', message: 'Conntrack table usage 91%, not yet below 90%: 240000 out of 262144' });
  });
  test.each([
    ['conntrack-missing', 'NoData'],
    ['conntrack-garbage', 'Unparsable'],
  ])('%s → unknown (%s)', async (fixture, cause) => {
    expect(await probeConntrack(procFixture(fixture), { thresholdPercent: 90 })).toMatchObject({ status: 'unknown', cause });
  });
});
