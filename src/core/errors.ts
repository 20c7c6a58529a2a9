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
  | 'ERR_PROBE';

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

/** Removes `user:password@` from a URL so it can go into a message. */
export function stripUrlAuth(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return url.replace(/\/\/[^/@]*@/, '//');
  }
}

/** `err.message` for anything thrown, for log lines. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
