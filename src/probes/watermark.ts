/**
 * Watermark decisions with hysteresis, shared by the fd, pid, inodes, conntrack and memleak probes
 * (a percentage of a limit) and the cgroups and dentry probes (a count against a fixed maximum). A
 * resource enters the problem state above `thresholdPercent` (at `max`) and leaves it only below
 * `clearPercent` (`clearBelow`), so a value hovering around the threshold does not flap the condition.
 *
 * Probes are pure: the previous state is an input (`wasProblem`). The check built by
 * {@link watermarkCheck} keeps it between runs in its closure: `wasProblem` is the last non-unknown
 * result of this check, so one rule = one state; an unknown result keeps it. Until the first such
 * result it comes from the monitor's prior (the condition carried over a restart).
 */
import type { OptionReader } from './option-reader.js';
import type { Check, ProbeContext, ProbeResult } from './probe.js';

/** Limits of a watermark probe. */
export interface WatermarkLimits {
  /** Problem when the used percentage is above this. */
  readonly thresholdPercent: number;
  /** Once in problem, stay until the used percentage is below this. @default thresholdPercent − 5 */
  readonly clearPercent?: number;
  /** Whether the previous run found a problem. @default false */
  readonly wasProblem?: boolean;
}

/** Whether `ratio` (0–1) is a problem under `limits`. */
export function isOverWatermark(ratio: number, limits: WatermarkLimits): boolean {
  // Percent / 100, not ratio * 100: 550/1000 * 100 is 55.00000000000001 in floating point, "above" 55 %;
  // 550/1000 and 55/100 are the same double.
  const clear = limits.clearPercent ?? limits.thresholdPercent - 5;
  if (ratio > limits.thresholdPercent / 100) return true;
  return (limits.wasProblem ?? false) && ratio >= clear / 100;
}

/**
 * `ratio` as a whole percentage for messages, rounded down (80.9 % reads "80%", never above the truth).
 * The 1e-9 undoes the floating-point error of `* 100` (29/100 * 100 is 28.999999999999996).
 */
export function percentText(ratio: number): string {
  return `${Math.floor(ratio * 100 + 1e-9)}%`;
}

/** Limits of a count probe (cgroups, dentries): a fixed maximum instead of a percentage of a kernel limit. */
export interface CountLimits {
  /** Problem when the count is at or above this (ACK's `--t`). */
  readonly max: number;
  /** Once in problem, stay until the count is below this. @default 95 % of `max` */
  readonly clearBelow?: number;
  /** Whether the previous run found a problem. @default false */
  readonly wasProblem?: boolean;
}

/** Whether `count` is a problem under `limits`: at or above `max` as ACK's checks, held down to `clearBelow`. */
export function isOverCount(count: number, limits: CountLimits): boolean {
  if (count >= limits.max) return true;
  return (limits.wasProblem ?? false) && count >= (limits.clearBelow ?? limits.max * 0.95);
}

/** The option keys of a percentage watermark probe. */
export const watermarkKeys: readonly string[] = ['thresholdPercent', 'clearPercent'];

/** Reads `thresholdPercent` (default `fallback`) and `clearPercent` (default 5 points below, at least 1). */
export function readWatermarkLimits(opts: OptionReader, probe: string, fallback: number): { thresholdPercent: number; clearPercent: number } {
  const thresholdPercent = opts.percent('thresholdPercent', fallback);
  const clearPercent = opts.optionalPercent('clearPercent') ?? Math.max(1, thresholdPercent - 5);
  if (clearPercent > thresholdPercent) opts.fail('clearPercent', `must not be above ${probe}.thresholdPercent (${thresholdPercent}), got ${clearPercent}`);
  return { thresholdPercent, clearPercent };
}

/** A watermark check: runs `probe` with the remembered state and publishes the ratio. */
export function watermarkCheck<L extends object>(
  ctx: ProbeContext,
  resource: string,
  limits: L,
  probe: (limits: L & { wasProblem: boolean }) => Promise<ProbeResult & { mounts?: readonly { mountPoint: string; ratio: number }[] }>,
): Check {
  let wasProblem: boolean | undefined;
  return async (_signal, prior) => {
    const result = await probe({ ...limits, wasProblem: wasProblem ?? prior?.problem ?? false });
    if (result.status !== 'unknown') wasProblem = result.status === 'problem';
    if (result.mounts) for (const m of result.mounts) ctx.telemetry.watermark(resource, m.mountPoint, m.ratio);
    else if (result.ratio !== undefined) ctx.telemetry.watermark(resource, 'node', result.ratio);
    return result;
  };
}
