/**
 * The log-source interface (NPD's log watcher): a source turns bytes into {@link LogLine}s and owns
 * reading, framing, rotation, restart after errors and the start point. It knows nothing of rules.
 * Implementations: `kmsg.ts`, `filelog.ts`, `journald.ts`; all pass `test/sources/log-source.contract.ts`.
 */
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { Telemetry } from '../core/telemetry.js';
import type { SourceHealth } from './source-state.js';

export type { SourceHealth };

/** One log message. */
export interface LogLine {
  /** When the message was logged. */
  readonly time: Date;
  /** The message text alone (no syslog/kmsg prefix), trimmed. */
  readonly message: string;
  /** Structured fields that came with it (kmsg ` KEY=value` continuation lines, journald fields). */
  readonly fields?: Readonly<Record<string, string>>;
}

/** A stream of log lines. */
export interface LogSource {
  /** Yields lines from the start point on, until `signal` aborts (then the iterator ends). */
  lines(signal: AbortSignal): AsyncIterable<LogLine>;
  /**
   * Optional, faster form of `lines`: the same lines, grouped as one read produced them (never an
   * empty batch), so a consumer awaits once per read instead of once per line.
   */
  batches?(signal: AbortSignal, interest?: LineInterest): AsyncIterable<readonly LogLine[]>;
  health(): SourceHealth;
}

/**
 * Which lines a consumer of {@link LogSource.batches} needs (line-prefilter.ts). A source may leave
 * out of its batches a line whose text contains none of `literals`, once its own filter passed it
 * (parsable, not old, not empty); it reports such lines through `omitted`, and with an interest a
 * batch may be empty (all its lines left out). A source that cannot prefilter ignores the interest.
 */
export interface LineInterest {
  /** Substrings; undefined: every line is needed. Read again at every read, so it may change. */
  readonly literals: readonly string[] | undefined;
  /**
   * Lines needed before each line that holds a literal (a window of lines, as multi-line rules
   * read): the last `context` lines the filter passed before it are not left out. @default 0
   */
  readonly context?: number;
  /**
   * Which lines with a literal need their `context` lines: those any of these tests says so of (a
   * line that could complete a match starting in an earlier line, `RuleMatcher.needsContext`), given
   * the line's message. @default every line with a literal does
   */
  readonly contextTests?: readonly ((message: string) => boolean)[];
  /** `n` lines logged at `timeMs` were passed and left out. @default they are counted as read by the source */
  omitted?(timeMs: number, n: number): void;
}

/** Settings common to every source, from the monitor file. */
export interface SourceConfig {
  /** NPD's plugin name: `kmsg`, `filelog`, `journald`. */
  readonly plugin: string;
  /** The monitor file, for messages. */
  readonly file: string;
  /** Monitor `source`, for logs and metrics labels. */
  readonly source: string;
  readonly logPath: string;
  /** Lines older than now − lookback are skipped. */
  readonly lookbackMs: number;
  /** Lines within `delayMs` after boot are skipped. */
  readonly delayMs: number;
  readonly pluginConfig: Readonly<Record<string, string>>;
}

/** What a source gets from the agent. */
export interface SourceDeps {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly telemetry: Telemetry;
  /** Boot time in ms since the epoch (from `/proc/uptime` or `/proc/stat btime`). */
  readonly bootTimeMs: number;
  /** Returns [0, 1), for backoff jitter. @default Math.random */
  readonly random?: () => number;
  /**
   * A directory that survives agent restarts (emptyDir/hostPath), where sources keep their resume
   * point (journald: `<stateDir>/<source>.cursor`). Without it, a restart starts from the lookback.
   */
  readonly stateDir?: string;
}

/** Builds a source; throws ConfigError for bad plugin settings. */
export type SourceFactory = (config: SourceConfig, deps: SourceDeps) => LogSource;

/** NPD's GetStartTime: lines before this are skipped. */
export function startTimeMs(nowMs: number, bootTimeMs: number, lookbackMs: number, delayMs: number): number {
  return Math.max(bootTimeMs + delayMs, nowMs - lookbackMs);
}
