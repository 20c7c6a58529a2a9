/**
 * PID watermark (ACK's NodePIDPressure): threads in use vs the smaller of `kernel.pid_max` and
 * `kernel.threads-max`. Every thread takes a PID, so threads are what run out; ACK's script counted
 * processes (`ls /proc | grep [0-9]`), which undercounts. The count is field 4 of `<proc>/loadavg`
 * ("running/total"), one read instead of a directory walk.
 */
import { join } from 'node:path';
import type { ProbeDefinition, ProbeResult } from './probe.js';
import { parseCount, readProbeFile } from './read-probe-file.js';
import { isOverWatermark, percentText, readWatermarkLimits, watermarkCheck, watermarkKeys, type WatermarkLimits } from './watermark.js';
import { readOptions } from './option-reader.js';

/** Parses `<proc>/loadavg` into the number of scheduling entities (threads) that exist. */
export function parseLoadavgThreads(text: string): number | undefined {
  const m = /^\S+ \S+ \S+ (\d+)\/(\d+) \d+\s*$/.exec(text);
  return m ? Number(m[2]) : undefined;
}

/**
 * Checks threads in use against `limits`.
 * @example await probePid('/proc', { thresholdPercent: 85 })
 */
export async function probePid(proc: string, limits: WatermarkLimits): Promise<ProbeResult> {
  const files = ['loadavg', 'sys/kernel/pid_max', 'sys/kernel/threads-max'].map((f) => join(proc, f));
  const inputs = await Promise.all(files.map((f) => readProbeFile(f)));
  const texts: string[] = [];
  for (const input of inputs) {
    if (!input.ok) return input.result;
    texts.push(input.text);
  }
  const threads = parseLoadavgThreads(texts[0] as string);
  const pidMax = parseCount(texts[1] as string);
  const threadsMax = parseCount(texts[2] as string);
  const unparsable = (file: string | undefined): ProbeResult => ({ status: 'unknown', cause: 'Unparsable', message: `couldn't parse ${file}` });
  if (threads === undefined) return unparsable(files[0]);
  if (!pidMax) return unparsable(files[1]); // unparsable or 0
  if (!threadsMax) return unparsable(files[2]);
  const max = Math.min(pidMax, threadsMax);
  const ratio = threads / max;
  return {
    status: isOverWatermark(ratio, limits) ? 'problem' : 'ok',
    message: `current pids is ${threads} and max is ${max}, ${percentText(ratio)} used`,
    ratio,
  };
}

/** The `pid` probe: `thresholdPercent` (default 85) and `clearPercent` of pid_max / threads-max. */
export const pidProbe: ProbeDefinition<'pid'> = {
  name: 'pid',
  create(options, ctx, where) {
    const limits = readWatermarkLimits(readOptions('pid', options, watermarkKeys, where), 'pid', 85);
    return watermarkCheck(ctx, 'pid', limits, (l) => probePid(ctx.procRoot, l));
  },
};
