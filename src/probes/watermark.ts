/**
 * Watermark decisions with hysteresis, shared by the fd, pid, inodes, conntrack and memleak probes
 * (a percentage of a limit) and the cgroups and dentry probes (a count against a fixed maximum). A
 * resource enters the problem state above `thresholdPercent` (at `max`) and leaves it only below
 * `clearPercent` (`clearBelow`), so a value hovering around the threshold does not flap the condition.
 *
 * Probes are pure: the previous state is an input (`wasProblem`). The check closures built by
 * `registry.ts` keep it between runs (last non-unknown result).
 */

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
  const percent = ratio * 100;
  const clear = limits.clearPercent ?? limits.thresholdPercent - 5;
  if (percent > limits.thresholdPercent) return true;
  return (limits.wasProblem ?? false) && percent >= clear;
}

/** `ratio` as a whole percentage for messages, rounded down (80.9 % reads "80%", never above the truth). */
export function percentText(ratio: number): string {
  return `${Math.floor(ratio * 100)}%`;
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
