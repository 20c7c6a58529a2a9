/**
 * The count behind a counting rule (`count`, `window`, `revertPattern`): matches of the pattern
 * add one, matches of the revert pattern take one away, and only those within the last `window`
 * (by line time) count, as NPD's log-counter counts a lookback. A flood cannot grow it without
 * bound: past {@link MAX_ENTRIES} the oldest entries are dropped, which can only lower the count.
 */

/** Entries kept at most per rule. */
export const MAX_ENTRIES = 10_000;

/** A sliding-window count of +1/−1 entries. */
export interface RuleCounter {
  /** Records an entry at `timeMs` and returns the count within the window ending there. */
  add(timeMs: number, delta: 1 | -1): number;
  /** The count within the window ending at `timeMs`. */
  count(timeMs: number): number;
  /**
   * When the count will fall below `threshold` if nothing more is added: `timeMs` when it already
   * is, else the time the entry whose ageing out takes it below leaves the window.
   */
  belowAt(threshold: number, timeMs: number): number;
}

/** Creates a counter over a window of `windowMs`. */
export function createRuleCounter(windowMs: number): RuleCounter {
  const times: number[] = [];
  const deltas: number[] = [];
  let sum = 0;
  const prune = (timeMs: number): void => {
    let drop = 0;
    while (drop < times.length && ((times[drop] as number) <= timeMs - windowMs || times.length - drop > MAX_ENTRIES)) {
      sum -= deltas[drop] as number;
      drop++;
    }
    times.splice(0, drop);
    deltas.splice(0, drop);
  };
  return {
    add(timeMs, delta) {
      prune(timeMs);
      times.push(timeMs);
      deltas.push(delta);
      sum += delta;
      return sum;
    },
    count(timeMs) {
      prune(timeMs);
      return sum;
    },
    belowAt(threshold, timeMs) {
      prune(timeMs);
      let s = sum;
      if (s < threshold) return timeMs;
      for (let i = 0; i < times.length; i++) {
        s -= deltas[i] as number;
        if (s < threshold) return (times[i] as number) + windowMs;
      }
      return timeMs; // unreachable: with every entry gone the count is 0
    },
  };
}
