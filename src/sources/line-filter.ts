/**
 * The filter every source puts a parsed line through before yielding it: drop it (and count why)
 * when it is unparsable, empty, or older than NPD's start time (`max(boot + delay, now − lookback)`),
 * else count it as read.
 */
import type { LogLine, SourceConfig, SourceDeps } from './log-source.js';
import { startTimeMs } from './log-source.js';

/** Returns the line to yield, or undefined when it was dropped (and counted). */
export type LineFilter = (line: LogLine | undefined) => LogLine | undefined;

/**
 * Creates a filter whose start time is fixed now (at the start of `lines()`), as NPD computes it
 * once when a watcher starts.
 */
export function createLineFilter(config: SourceConfig, deps: SourceDeps): LineFilter {
  return filterLines(filterDescribed(config, deps), () => deps.telemetry.linesRead(config.source));
}

function filterLines(passes: ReturnType<typeof filterDescribed>, countRead: () => void): LineFilter {
  return (line) => {
    if (!passes(line && line.time.getTime(), line?.message === '')) return undefined;
    countRead();
    return line;
  };
}

/** The checks of {@link filterLines} on a line's time (undefined: unparsable) and emptiness; counts a skip. */
function filterDescribed(config: SourceConfig, deps: SourceDeps): (timeMs: number | undefined, empty: boolean, n?: number) => boolean {
  const start = startTimeMs(deps.clock.now(), deps.bootTimeMs, config.lookbackMs, config.delayMs);
  const { telemetry } = deps;
  return (timeMs, empty, n = 1) => {
    if (timeMs === undefined) {
      telemetry.linesSkipped(config.source, 'unparsable', n);
      return false;
    }
    if (timeMs < start) {
      telemetry.linesSkipped(config.source, 'old', n);
      return false;
    }
    if (empty) {
      telemetry.linesSkipped(config.source, 'empty', n);
      return false;
    }
    return true;
  };
}

/** A {@link LineFilter} that counts read lines until `flush()`, for sources that emit lines in batches. */
export interface BatchLineFilter {
  readonly pass: LineFilter;
  /**
   * The same checks for a line only described (line-parser.ts `LineDescriber`; undefined:
   * unparsable), or for `n` lines described alike; true when they pass. `countRead`: count them as
   * read at the next flush.
   */
  passDescribed(d: { readonly timeMs: number; readonly empty: boolean } | undefined, countRead: boolean, n?: number): boolean;
  /** Counts `n` lines that passed {@link passDescribed} uncounted as read after all. */
  countRead(n: number): void;
  /** Reports the lines passed since the last flush as one `linesRead(source, n)`. */
  flush(): void;
}

/** Like {@link createLineFilter}, with `linesRead` counted once per batch instead of once per line. */
export function createBatchLineFilter(config: SourceConfig, deps: SourceDeps): BatchLineFilter {
  let passed = 0;
  // One start time for both.
  const passes = filterDescribed(config, deps);
  const pass = filterLines(passes, () => void passed++);
  return {
    pass,
    passDescribed(d, countRead, n = 1) {
      if (!passes(d?.timeMs, d?.empty === true, n)) return false;
      if (countRead) passed += n;
      return true;
    },
    countRead(n) {
      passed += n;
    },
    flush() {
      if (passed > 0) deps.telemetry.linesRead(config.source, passed);
      passed = 0;
    },
  };
}
