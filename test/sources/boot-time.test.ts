import { createManualClock } from '../../src/core/clock.js';
import { SourceError } from '../../src/core/errors.js';
import { parseStatBtime, parseUptimeSeconds, readBootTimeMs } from '../../src/sources/boot-time.js';
import { procFixture } from '../helpers/fixtures.js';

describe('boot time', () => {
  test.each([
    ['cpu 1\nbtime 1767225600\nprocesses 3\n', 1_767_225_600_000],
    ['cpu 1\n', undefined],
  ])('parseStatBtime(%j)', (text, want) => expect(parseStatBtime(text)).toBe(want));

  test.each([
    ['3600.50 7000.00\n', 3600.5],
    ['12 3\n', 12],
    ['', undefined],
  ])('parseUptimeSeconds(%j)', (text, want) => expect(parseUptimeSeconds(text)).toBe(want));

  test('reads btime from <proc>/stat', async () => {
    await expect(readBootTimeMs(procFixture('boot-btime'))).resolves.toBe(1_767_225_600_000);
  });

  test('falls back to <proc>/uptime', async () => {
    const clock = createManualClock(1_767_225_600_000);
    await expect(readBootTimeMs(procFixture('boot-uptime-only'), clock)).resolves.toBe(1_767_225_600_000 - 3_600_500);
  });

  test('neither → SourceError', async () => {
    await expect(readBootTimeMs(procFixture('boot-missing'))).rejects.toBeInstanceOf(SourceError);
  });
});
