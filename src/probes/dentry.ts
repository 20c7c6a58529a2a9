/**
 * Dentry count (ACK's dentryPressure): field 1 (`nr_dentry`) of `<proc>/sys/fs/dentry-state`.
 * Hundreds of millions of cached dentries (negative ones, typically) make directory operations and
 * memory reclaim slow; ACK's `checkdentry --t=100000000` fired at 1e8.
 */
import { join } from 'node:path';
import type { ProbeDefinition, ProbeResult } from './probe.js';
import { readProbeFile } from './read-probe-file.js';
import { isOverCount, watermarkCheck, type CountLimits } from './watermark.js';
import { readOptions } from './option-reader.js';

/** Parses `dentry-state` (six whitespace-separated integers) into `nr_dentry`; undefined for anything else. */
export function parseDentryState(text: string): number | undefined {
  const m = /^(\d+)(?:\s+\d+){5}\s*$/.exec(text);
  return m ? Number(m[1]) : undefined;
}

/**
 * Checks the number of dentries against `limits`.
 * @example await probeDentry('/proc', { max: 100_000_000 })
 */
export async function probeDentry(proc: string, limits: CountLimits): Promise<ProbeResult> {
  const path = join(proc, 'sys/fs/dentry-state');
  const input = await readProbeFile(path);
  if (!input.ok) return input.result;
  const dentries = parseDentryState(input.text);
  if (dentries === undefined) return { status: 'unknown', cause: 'Unparsable', message: `couldn't parse ${path}: ${JSON.stringify(input.text.slice(0, 40))}` };
  return {
    status: isOverCount(dentries, limits) ? 'problem' : 'ok',
    message: `nr_dentry is ${dentries} and max is ${limits.max}`,
    ratio: dentries / limits.max,
  };
}

/** The `dentry` probe: `max` (default 100,000,000) dentries. */
export const dentryProbe: ProbeDefinition<'dentry'> = {
  name: 'dentry',
  create(options, ctx, where) {
    const max = readOptions('dentry', options, ['max'], where).integer('max', 100_000_000, 1);
    return watermarkCheck(ctx, 'dentry', { max }, (l) => probeDentry(ctx.procRoot, l));
  },
};
