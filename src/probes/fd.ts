/**
 * FD watermark (ACK's FDPressure): allocated file handles vs `fs.file-max`, from one read of
 * `<proc>/sys/fs/file-nr`. ACK's scripts walked every `/proc/<pid>/fd` (their docs warn it is
 * expensive); the kernel already keeps the count.
 */
import { join } from 'node:path';
import type { ProbeDefinition, ProbeResult } from './probe.js';
import { readProbeFile } from './read-probe-file.js';
import { isOverWatermark, percentText, readWatermarkLimits, watermarkCheck, watermarkKeys, type WatermarkLimits } from './watermark.js';
import { readOptions } from './option-reader.js';

/** The three fields of `file-nr`. */
export interface FileNr {
  readonly allocated: number;
  readonly unused: number;
  readonly max: number;
}

/** Parses `file-nr` ("allocated unused max", tab-separated); undefined for anything else. */
export function parseFileNr(text: string): FileNr | undefined {
  const m = /^(\d+)\s+(\d+)\s+(\d+)\s*$/.exec(text);
  if (!m) return undefined;
  const [allocated, unused, max] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return max > 0 ? { allocated, unused, max } : undefined;
}

/** The message ACK's check_fd.sh printed, with the percentage. */
export function fdMessage(nr: FileNr, ratio: number): string {
  return `current fd is ${nr.allocated} and max is ${nr.max}, ${percentText(ratio)} used`;
}

/**
 * Checks allocated file handles against `limits`.
 * @example await probeFd('/proc', { thresholdPercent: 80 })
 */
export async function probeFd(proc: string, limits: WatermarkLimits): Promise<ProbeResult> {
  const path = join(proc, 'sys/fs/file-nr');
  const input = await readProbeFile(path);
  if (!input.ok) return input.result;
  const nr = parseFileNr(input.text);
  if (!nr) return { status: 'unknown', cause: 'Unparsable', message: `couldn't parse ${path}: ${JSON.stringify(input.text.slice(0, 40))}` };
  const ratio = nr.allocated / nr.max;
  return { status: isOverWatermark(ratio, limits) ? 'problem' : 'ok', message: fdMessage(nr, ratio), ratio };
}

/** The `fd` probe: `thresholdPercent` (default 80) and `clearPercent` of the kernel's file-max. */
export const fdProbe: ProbeDefinition<'fd'> = {
  name: 'fd',
  create(options, ctx, where) {
    const limits = readWatermarkLimits(readOptions('fd', options, watermarkKeys, where), 'fd', 80);
    return watermarkCheck(ctx, 'fd', limits, (l) => probeFd(ctx.procRoot, l));
  },
};
