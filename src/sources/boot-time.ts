/** The host's boot time, which turns kmsg's µs-since-boot into wall time and sets NPD's `delay`. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { systemClock, type Clock } from '../core/clock.js';
import { SourceError } from '../core/errors.js';

/** `btime` of `/proc/stat` in ms since the epoch; undefined if absent. */
export function parseStatBtime(text: string): number | undefined {
  const m = /^btime\s+(\d+)\s*$/m.exec(text);
  return m ? Number(m[1]) * 1000 : undefined;
}

/** The first number of `/proc/uptime` (seconds since boot); undefined if absent. */
export function parseUptimeSeconds(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s/.exec(`${text} `);
  return m ? Number(m[1]) : undefined;
}

/**
 * Reads the boot time in ms since the epoch from `<procRoot>/stat` (`btime`, 1 s precision) or,
 * failing that, `<procRoot>/uptime` subtracted from `clock.now()`. Throws SourceError when neither
 * can be read: without it no kmsg time is right.
 */
export async function readBootTimeMs(procRoot: string, clock: Clock = systemClock): Promise<number> {
  const errors: unknown[] = [];
  try {
    const btime = parseStatBtime(await readFile(join(procRoot, 'stat'), 'utf8'));
    if (btime !== undefined) return btime;
  } catch (err) {
    errors.push(err);
  }
  try {
    const up = parseUptimeSeconds(await readFile(join(procRoot, 'uptime'), 'utf8'));
    if (up !== undefined) return Math.round(clock.now() - up * 1000);
  } catch (err) {
    errors.push(err);
  }
  throw new SourceError(`couldn't get boot time from ${procRoot}/stat or ${procRoot}/uptime`, { cause: errors[0] });
}
