/**
 * Kernel slab leak (ACK's Memleak): unreclaimable slab (`SUnreclaim` in `<proc>/meminfo`) against
 * `MemTotal`. ACK's `memleak --t=15` fired at ≥ 15 % of memory **and** ≥ 800 MiB, so a small node
 * with a normal slab does not trip it; both limits are kept, with the watermark hysteresis on top.
 */
import { join } from 'node:path';
import type { ProbeDefinition, ProbeResult } from './probe.js';
import { readProbeFile } from './read-probe-file.js';
import { isOverWatermark, percentText, readWatermarkLimits, watermarkCheck, watermarkKeys, type WatermarkLimits } from './watermark.js';
import { readOptions } from './option-reader.js';

/** Limits of {@link probeMemleak}. */
export interface MemleakLimits extends WatermarkLimits {
  /** Unreclaimable slab below this is never a problem, whatever its share of memory. @default 800 */
  readonly minMiB: number;
}

/**
 * Parses `<proc>/meminfo` into KiB values by field name (`MemTotal` → 8029848); lines that are not
 * `Name: N [kB]` make it undefined. Shared with the memfrag probe.
 */
export function parseMeminfo(text: string): ReadonlyMap<string, number> | undefined {
  const fields = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const m = /^([\w()]+):\s+(\d+)(?: kB)?\s*$/.exec(line);
    if (!m) return undefined;
    fields.set(m[1] as string, Number(m[2]));
  }
  return fields.size > 0 ? fields : undefined;
}

/** KiB as whole MiB for messages, rounded down. */
export function mibText(kib: number): string {
  return `${Math.floor(kib / 1024)} MiB`;
}

/**
 * Checks unreclaimable slab against `limits`.
 * @example await probeMemleak('/proc', { thresholdPercent: 15, minMiB: 800 })
 */
export async function probeMemleak(proc: string, limits: MemleakLimits): Promise<ProbeResult> {
  const path = join(proc, 'meminfo');
  const input = await readProbeFile(path);
  if (!input.ok) return input.result;
  const fields = parseMeminfo(input.text);
  const total = fields?.get('MemTotal');
  const slab = fields?.get('SUnreclaim');
  if (total === undefined || total === 0 || slab === undefined) {
    return { status: 'unknown', cause: 'Unparsable', message: `couldn't parse ${path}: ${fields ? 'no MemTotal or SUnreclaim' : JSON.stringify(input.text.slice(0, 40))}` };
  }
  const ratio = slab / total;
  const problem = isOverWatermark(ratio, limits) && slab >= limits.minMiB * 1024;
  return {
    status: problem ? 'problem' : 'ok',
    message: `unreclaimable slab is ${mibText(slab)}, ${percentText(ratio)} of ${mibText(total)} memory`,
    ratio,
  };
}

/** The `memleak` probe: `thresholdPercent` (default 15) of MemTotal, and `minMiB` (default 800). */
export const memleakProbe: ProbeDefinition<'memleak'> = {
  name: 'memleak',
  create(options, ctx, where) {
    const opts = readOptions('memleak', options, [...watermarkKeys, 'minMiB'], where);
    const limits = { ...readWatermarkLimits(opts, 'memleak', 15), minMiB: opts.integer('minMiB', 800, 0) };
    return watermarkCheck(ctx, 'slab-unreclaimable', limits, (l) => probeMemleak(ctx.procRoot, l));
  },
};
