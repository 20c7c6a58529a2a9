/**
 * A small structured logger: one JSON object per line on stderr (stdout belongs to `cli.ts` and the
 * console exporter). Components get `logger.child({monitor})` from their caller
 * (docs/architecture.md, "Conventions").
 */
import { systemClock } from './clock.js';

/** Log levels, lowest first. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Fields attached to a record. */
export type LogFields = Readonly<Record<string, unknown>>;

/** What components log through. */
export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger that adds `bindings` to every record. */
  child(bindings: LogFields): Logger;
}

/** One log record, as written. */
export interface LogRecord extends LogFields {
  readonly level: LogLevel;
  readonly msg: string;
}

const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** @default 'info' */
  readonly level?: LogLevel;
  /** Where records go. @default one JSON line on stderr */
  readonly write?: (record: LogRecord) => void;
  /** Time source for the `time` field (ms since the epoch). @default the system clock */
  readonly now?: () => number;
}

/** Creates a logger. */
export function createLogger(options: LoggerOptions = {}, bindings: LogFields = {}): Logger {
  const min = rank[options.level ?? 'info'];
  const now = options.now ?? systemClock.now;
  const write = options.write ?? ((r: LogRecord) => process.stderr.write(`${JSON.stringify(r)}\n`));
  const log = (level: LogLevel) => (msg: string, fields?: LogFields) => {
    if (rank[level] < min) return;
    write({ time: new Date(now()).toISOString(), level, msg, ...bindings, ...fields });
  };
  return {
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    child: (more) => createLogger(options, { ...bindings, ...more }),
  };
}

/** A logger that keeps records in memory, for tests and `npd replay`. */
export function createMemoryLogger(level: LogLevel = 'debug'): Logger & { readonly records: LogRecord[] } {
  const records: LogRecord[] = [];
  const logger = createLogger({ level, write: (r) => records.push(r) });
  return Object.assign(logger, { records });
}

/** A logger that drops everything. */
export const silentLogger: Logger = createLogger({ write: () => {} });
