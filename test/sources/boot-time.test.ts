import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createManualClock } from '../../src/core/clock.js';
import { SourceError } from '../../src/core/errors.js';
import { parseStatBtime, parseUptimeSeconds, readBootTimeMs } from '../../src/sources/boot-time.js';
import { procFixture } from '../helpers/fixtures.js';

describe('boot time', () => {
  test.each([
    ['cpu 1\nbtime 1767225600\nprocesses 3\n', 1_767_225_600_000],
    ['cpu 1\n', undefined],
    ['btime\t\t1767225600 \n', 1_767_225_600_000],
    ['xbtime 1767225600\n', undefined],
    ['btime 1767225600 x\n', undefined],
    ['btime 1767225600x\n', undefined],
  ])('parseStatBtime(%j)', (text, want) => expect(parseStatBtime(text)).toBe(want));

  test.each([
    ['3600.50 7000.00\n', 3600.5],
    ['12 3\n', 12],
    ['', undefined],
    ['x 3600.50 7000.00\n', undefined],
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

  describe('on a proc tree in a temp dir', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'npd-boot-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));
    const clock = createManualClock(1_767_225_600_000);

    test('a stat without btime falls back to uptime', async () => {
      writeFileSync(join(dir, 'stat'), 'cpu 1\n');
      writeFileSync(join(dir, 'uptime'), '10.25 1\n');
      await expect(readBootTimeMs(dir, clock)).resolves.toBe(1_767_225_600_000 - 10_250);
    });

    test('a stat without btime and no uptime: the uptime file\'s error is the cause', async () => {
      writeFileSync(join(dir, 'stat'), 'cpu 1\n');
      const err = await readBootTimeMs(dir, clock).catch((e: unknown) => e);
      expect(((err as Error).cause as NodeJS.ErrnoException).code).toBe('ENOENT');
    });

    test('an unreadable stat and an unparsable uptime: an error naming both files, caused by the first failure', async () => {
      mkdirSync(join(dir, 'stat'));
      writeFileSync(join(dir, 'uptime'), 'garbage\n');
      const err = await readBootTimeMs(dir, clock).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SourceError);
      expect((err as Error).message).toBe(`couldn't get boot time from ${dir}/stat or ${dir}/uptime`);
      expect(((err as Error).cause as NodeJS.ErrnoException).code).toBe('EISDIR');
    });
  });
});

