/**
 * What every source does with a parsed line before yielding it: count it, drop it when it is
 * unparsable, empty, or older than NPD's start time (`max(boot + delay, now − lookback)`).
 */
import type { LogLine, SourceConfig, SourceDeps } from './log-source.js';
import { startTimeMs } from './log-source.js';

/** Returns the line to yield, or undefined when it was dropped (and counted). */
export type LineGate = (line: LogLine | undefined) => LogLine | undefined;

/**
 * Creates a gate whose start time is fixed now (at the start of `lines()`), as NPD computes it
 * once when a watcher starts.
 */
export function createLineGate(config: SourceConfig, deps: SourceDeps): LineGate {
  return gate(config, deps, () => deps.telemetry.linesRead(config.source));
}

function gate(config: SourceConfig, deps: SourceDeps, countRead: () => void): LineGate {
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

/** A {@link LineGate} that counts read lines until `flush()`, for sources that emit lines in batches. */
export interface BatchLineGate {
  readonly pass: LineGate;
  /** Reports the lines passed since the last flush as one `linesRead(source, n)`. */
  flush(): void;
}

/** Like {@link createLineGate}, with `linesRead` counted once per batch instead of once per line. */
export function createBatchLineGate(config: SourceConfig, deps: SourceDeps): BatchLineGate {
  let passed = 0;
  const pass = gate(config, deps, () => void passed++);
  return {
    pass,
    flush() {
      if (passed > 0) deps.telemetry.linesRead(config.source, passed);
      passed = 0;
    },
  };
}
