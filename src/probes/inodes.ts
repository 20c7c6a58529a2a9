/**
 * Inode watermark (ACK's InodesPressure): used inodes of each configured mount point, from
 * `statfs` (what `df -i` reads). The worst mount decides. A filesystem that reports no inode
 * limit (btrfs, some overlay setups: `files` = 0) cannot run out and is skipped.
 */
import { statfs as fsStatfs } from 'node:fs/promises';
import type { ProbeDefinition, ProbeResult } from './probe.js';
import { readErrorCause } from './read-probe-file.js';
import { isOverWatermark, percentText, readWatermarkLimits, watermarkCheck, watermarkKeys, type WatermarkLimits } from './watermark.js';
import { readOptions } from './option-reader.js';

/** The two statfs fields the probe needs. */
export interface InodeCounts {
  readonly files: number;
  readonly ffree: number;
}

/** `fs.promises.statfs`, or a fake in tests. */
export type StatfsFunction = (path: string) => Promise<InodeCounts>;

/** One mount's usage. */
export interface MountUsage {
  readonly mountPoint: string;
  readonly ratio: number;
}

/** The inodes result, with every mount's ratio for the watermark gauges. */
export interface InodesResult extends ProbeResult {
  readonly mounts: readonly MountUsage[];
}

/** Used-inode ratio of `counts`, or undefined when the filesystem has no inode limit. */
export function inodeRatio(counts: InodeCounts): number | undefined {
  if (!(counts.files > 0)) return undefined;
  return (counts.files - counts.ffree) / counts.files;
}

/**
 * Checks inode usage of `mountPoints` against `limits`.
 * @example await probeInodes(['/'], { thresholdPercent: 80 })
 */
export async function probeInodes(
  mountPoints: readonly string[],
  limits: WatermarkLimits,
  statfs: StatfsFunction = (p) => fsStatfs(p),
): Promise<InodesResult> {
  const mounts: MountUsage[] = [];
  const failures: string[] = [];
  let cause: string | undefined;
  for (const mountPoint of mountPoints) {
    try {
      const ratio = inodeRatio(await statfs(mountPoint));
      if (ratio !== undefined) mounts.push({ mountPoint, ratio });
    } catch (err) {
      cause ??= readErrorCause(err);
      failures.push(`${mountPoint}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
  }
  const worst = mounts.reduce<MountUsage | undefined>((w, m) => (w === undefined || m.ratio > w.ratio ? m : w), undefined);
  if (!worst) {
    if (failures.length > 0) return { status: 'unknown', cause, message: `couldn't statfs ${failures.join(', ')}`, mounts };
    return { status: 'ok', message: `no inode limit on ${mountPoints.join(', ')}`, mounts };
  }
  const status = isOverWatermark(worst.ratio, limits) ? 'problem' : 'ok';
  const tail = failures.length > 0 ? ` (couldn't statfs ${failures.join(', ')})` : '';
  return { status, message: `current inode usage is ${percentText(worst.ratio)} on ${worst.mountPoint}${tail}`, ratio: worst.ratio, mounts };
}

/** The `inodes` probe: `thresholdPercent` (default 80) and `clearPercent` of each of `mountPoints` (default `/`). */
export const inodesProbe: ProbeDefinition<'inodes'> = {
  name: 'inodes',
  create(options, ctx, where) {
    const opts = readOptions('inodes', options, [...watermarkKeys, 'mountPoints'], where);
    const limits = readWatermarkLimits(opts, 'inodes', 80);
    const mountPoints = opts.strings('mountPoints', ['/']);
    return watermarkCheck(ctx, 'inodes', limits, (l) => probeInodes(mountPoints, l));
  },
};
