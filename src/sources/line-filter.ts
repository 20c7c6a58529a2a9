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
  return filterLines(config, deps, () => deps.telemetry.linesRead(config.source));
}

function filterLines(config: SourceConfig, deps: SourceDeps, countRead: () => void): LineFilter {
  const start = startTimeMs(deps.clock.now(), deps.bootTimeMs, config.lookbackMs, config.delayMs);
  const { telemetry } = deps;
  return (line) => {
    if (!line) {
      telemetry.linesSkipped(config.source, 'unparsable');
      return undefined;
    }
    if (line.time.getTime() < start) {
      telemetry.linesSkipped(config.source, 'old');
      return undefined;
    }
    if (line.message === '') {
      telemetry.linesSkipped(config.source, 'empty');
      return undefined;
    }
    countRead();
    return line;
  };
}

/** A {@link LineFilter} that counts read lines until `flush()`, for sources that emit lines in batches. */
export interface BatchLineFilter {
  readonly pass: LineFilter;
  /** Reports the lines passed since the last flush as one `linesRead(source, n)`. */
  flush(): void;
}

/** Like {@link createLineFilter}, with `linesRead` counted once per batch instead of once per line. */
export function createBatchLineFilter(config: SourceConfig, deps: SourceDeps): BatchLineFilter {
  let passed = 0;
  const pass = filterLines(config, deps, () => void passed++);
  return {
    pass,
    flush() {
      if (passed > 0) deps.telemetry.linesRead(config.source, passed);
      passed = 0;
    },
  };
}
