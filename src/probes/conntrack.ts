/**
 * Conntrack table usage (NPD's and ACK's ConntrackFull event): `nf_conntrack_count` vs
 * `nf_conntrack_max`. Without the nf_conntrack module the files do not exist: `unknown`/`NoData`.
 */
import { join } from 'node:path';
import type { ProbeDefinition, ProbeResult } from './probe.js';
import { parseCount, readProbeFile } from './read-probe-file.js';
import { isOverWatermark, percentText, readWatermarkLimits, watermarkCheck, watermarkKeys, type WatermarkLimits } from './watermark.js';
import { readOptions } from './option-reader.js';

/**
 * Checks conntrack entries against `limits`; the problem message is NPD's
 * (`Conntrack table usage over 90%: N out of M`).
 */
export async function probeConntrack(proc: string, limits: WatermarkLimits): Promise<ProbeResult> {
  const countPath = join(proc, 'sys/net/netfilter/nf_conntrack_count');
  const maxPath = join(proc, 'sys/net/netfilter/nf_conntrack_max');
  const [countIn, maxIn] = await Promise.all([readProbeFile(countPath), readProbeFile(maxPath)]);
  if (!countIn.ok) return countIn.result;
  if (!maxIn.ok) return maxIn.result;
  const count = parseCount(countIn.text);
  const max = parseCount(maxIn.text);
  if (count === undefined) return { status: 'unknown', cause: 'Unparsable', message: `couldn't parse ${countPath}` };
  if (max === undefined || max === 0) return { status: 'unknown', cause: 'Unparsable', message: `couldn't parse ${maxPath}` };
  const ratio = count / max;
  const over = ratio > limits.thresholdPercent / 100;
  if (isOverWatermark(ratio, limits)) {
    const message = over
      ? `Conntrack table usage over ${limits.thresholdPercent}%: ${count} out of ${max}`
      : `Conntrack table usage ${percentText(ratio)}, not yet below ${limits.clearPercent ?? limits.thresholdPercent - 5}%: ${count} out of ${max}`;
    return { status: 'problem', message, ratio };
  }
  return { status: 'ok', message: `Conntrack table usage ${percentText(ratio)}: ${count} out of ${max}`, ratio };
}

/** The `conntrack` probe: `thresholdPercent` (default 90) and `clearPercent` of nf_conntrack_max. */
export const conntrackProbe: ProbeDefinition<'conntrack'> = {
  name: 'conntrack',
  create(options, ctx, where) {
    const limits = readWatermarkLimits(readOptions('conntrack', options, watermarkKeys, where), 'conntrack', 90);
    return watermarkCheck(ctx, 'conntrack', limits, (l) => probeConntrack(ctx.procRoot, l));
  },
};
