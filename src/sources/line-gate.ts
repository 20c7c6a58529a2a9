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
    telemetry.linesRead(config.source);
    return line;
  };
}
