/**
 * Every error class of npd-ts (got's habit: one file, a base with a stable `code`, the cause kept).
 * Match with `instanceof` or `code`, never on message text. Messages never carry tokens or URL
 * credentials: use {@link stripUrlAuth} before putting a URL in one.
 */

/** Stable error codes. */
export type NpdErrorCode =
  | 'ERR_MONITOR_CONFIG'
  | 'ERR_APISERVER_STATUS'
  | 'ERR_APISERVER_NETWORK'
  | 'ERR_SOURCE'
  | 'ERR_REGEX_SYNTAX'
  | 'ERR_PROBE_TIMEOUT';

/** Base of all npd-ts errors. */
export class NpdError extends Error {
  readonly code: NpdErrorCode;
  constructor(code: NpdErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/**
 * A monitor file, profile or option is wrong. The CLI prints `file: field: message` on one line
 * and exits 2.
 */
export class ConfigError extends NpdError {
  /** The file at fault, as given by the user. */
  readonly file: string;
  /** A JSON path into the file (`rules[3].pattern`), or '' for the whole file. */
  readonly field: string;
  /** What is wrong, without the file and field. */
  readonly problem: string;
  constructor(file: string, field: string, problem: string, options?: { cause?: unknown }) {
    super('ERR_MONITOR_CONFIG', `${file ? `${file}: ` : ''}${field ? `${field}: ` : ''}${problem}`, options);
    this.file = file;
    this.field = field;
    this.problem = problem;
  }
}

/** The apiserver answered with a non-2xx status. */
export class ApiError extends NpdError {
  readonly status: number;
  /** From `Retry-After`, when the apiserver sent it. */
  readonly retryAfterMs: number | undefined;
  /** The `reason` of the apiserver's Status object (`NotFound`, `Conflict`…), when there is one. */
  readonly reason: string | undefined;
  constructor(status: number, message: string, options?: { retryAfterMs?: number | undefined; reason?: string | undefined; cause?: unknown }) {
    super('ERR_APISERVER_STATUS', message, options);
    this.status = status;
    this.retryAfterMs = options?.retryAfterMs;
    this.reason = options?.reason;
  }
}

/** The apiserver could not be reached or the request timed out. */
export class NetworkError extends NpdError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_APISERVER_NETWORK', message, options);
  }
}

/** A log source failed in a way it cannot recover from. */
export class SourceError extends NpdError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_SOURCE', message, options);
  }
}

/**
 * A pattern that is not valid RE2, or that V8 cannot run in linear time (`re2/re2.ts`). Loading a
 * monitor file turns it into a {@link ConfigError} naming the field, so its code is the same.
 */
export class Re2Error extends NpdError {
  /** The pattern as written. */
  readonly pattern: string;
  /** What is wrong, without the pattern. */
  readonly problem: string;
  constructor(pattern: string, problem: string, options?: { cause?: unknown }) {
    super('ERR_MONITOR_CONFIG', `${problem} in pattern ${JSON.stringify(pattern)}`, options);
    this.pattern = pattern;
    this.problem = problem;
  }
}

/** Thrown by the RE2 parser (`re2/re2-parse.ts`) at the offset of the fault; `compileRe2` wraps it in {@link Re2Error}. */
export class Re2SyntaxError extends NpdError {
  /** Offset of the fault in the pattern (UTF-16 units). */
  readonly offset: number;
  constructor(message: string, offset: number) {
    super('ERR_REGEX_SYNTAX', message);
    this.offset = offset;
  }
}

/** The abort reason of a probe's deadline (`probes/deadline.ts`) that ran out. */
export class DeadlineError extends NpdError {
  readonly ms: number;
  constructor(ms: number) {
    super('ERR_PROBE_TIMEOUT', `timed out after ${ms}ms`);
    this.ms = ms;
  }
}

/**
 * Removes `user:password@` from a URL so it can go into a message (or a Node condition, which
 * anyone who can read the Node sees). The rest of the text is kept as written, not normalised.
 */
export function stripUrlAuth(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#@]*@/i, '$1');
}

/** `err.message` for anything thrown, for log lines. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Whether `err` (or a cause of it) is the process or the system running out of file descriptors. */
export function isFdExhaustion(err: unknown): boolean {
  for (let e = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (code === 'EMFILE' || code === 'ENFILE') return true;
  }
  return false;
}
