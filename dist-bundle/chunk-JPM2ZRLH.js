import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);

// ../../../work/wt/footprint/dist/src/core/errors.js
var NpdError = class extends Error {
  code;
  constructor(code, message, options) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
};
var ConfigError = class extends NpdError {
  /** The file at fault, as given by the user. */
  file;
  /** A JSON path into the file (`rules[3].pattern`), or '' for the whole file. */
  field;
  /** What is wrong, without the file and field. */
  problem;
  constructor(file, field, problem, options) {
    super("ERR_MONITOR_CONFIG", `${file ? `${file}: ` : ""}${field ? `${field}: ` : ""}${problem}`, options);
    this.file = file;
    this.field = field;
    this.problem = problem;
  }
};
var ApiError = class extends NpdError {
  status;
  /** From `Retry-After`, when the apiserver sent it. */
  retryAfterMs;
  /** The `reason` of the apiserver's Status object (`NotFound`, `Conflict`…), when there is one. */
  reason;
  constructor(status, message, options) {
    super("ERR_APISERVER_STATUS", message, options);
    this.status = status;
    this.retryAfterMs = options?.retryAfterMs;
    this.reason = options?.reason;
  }
};
var NetworkError = class extends NpdError {
  constructor(message, options) {
    super("ERR_APISERVER_NETWORK", message, options);
  }
};
var SourceError = class extends NpdError {
  constructor(message, options) {
    super("ERR_SOURCE", message, options);
  }
};
var Re2Error = class extends NpdError {
  /** The pattern as written. */
  pattern;
  /** What is wrong, without the pattern. */
  problem;
  constructor(pattern, problem, options) {
    super("ERR_MONITOR_CONFIG", `${problem} in pattern ${JSON.stringify(pattern)}`, options);
    this.pattern = pattern;
    this.problem = problem;
  }
};
var Re2SyntaxError = class extends NpdError {
  /** Offset of the fault in the pattern (UTF-16 units). */
  offset;
  constructor(message, offset) {
    super("ERR_REGEX_SYNTAX", message);
    this.offset = offset;
  }
};
var DeadlineError = class extends NpdError {
  ms;
  constructor(ms) {
    super("ERR_PROBE_TIMEOUT", `timed out after ${ms}ms`);
    this.ms = ms;
  }
};
function stripUrlAuth(url) {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#@]*@/i, "$1");
}
function errorMessage(err) {
  return err instanceof Error ? err.message : String(err);
}
function isFdExhaustion(err) {
  for (let e = err, depth = 0; e && depth < 5; e = e.cause, depth++) {
    const code = e.code;
    if (code === "EMFILE" || code === "ENFILE")
      return true;
  }
  return false;
}

export {
  NpdError,
  ConfigError,
  ApiError,
  NetworkError,
  SourceError,
  Re2Error,
  Re2SyntaxError,
  DeadlineError,
  stripUrlAuth,
  errorMessage,
  isFdExhaustion
};
