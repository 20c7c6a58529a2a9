/**
 * JSON parsing of configuration files whose syntax errors name the line and column but never quote
 * the text: V8's messages carry a snippet of the input (`--profile /etc/passwd` would print
 * `root:x:0:0`), and a file given by mistake may hold secrets.
 */
import { ConfigError } from '../core/errors.js';

const endOfInput = /end of JSON input/i;

const position = /at position (\d+)/;

/** Whether `prefix` fails before its end (an error at its end may be only where it was cut). */
function failsInside(prefix: string): boolean {
  try {
    JSON.parse(prefix);
    return false;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const at = position.exec(message);
    return at ? Number(at[1]) < prefix.length : !endOfInput.test(message);
  }
}

/**
 * Where JSON.parse stopped, as an offset into `text`: from V8's "at position N" when it gives one,
 * else the shortest prefix that fails before its end (a binary search: a prefix holding the error
 * fails there whatever follows it).
 */
export function jsonErrorOffset(text: string, message: string): number | undefined {
  const m = position.exec(message);
  if (m) return Number(m[1]);
  if (endOfInput.test(message)) return undefined;
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (failsInside(text.slice(0, mid + 1))) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** V8's message without any quoted input: "Unexpected token 'r', "root:x…" is not valid JSON" → "unexpected character". */
export function jsonErrorKind(message: string): string {
  if (/^Unexpected token/.test(message)) return 'unexpected character';
  if (endOfInput.test(message)) return 'unexpected end of file';
  const kind = message.replace(/( in JSON)? at position.*$/s, '').replace(/,? ".*$/s, '');
  return kind.charAt(0).toLowerCase() + kind.slice(1);
}

/** Line and column (1-based) of `offset` in `text`. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: offset - lineStart + 1 };
}

/** Parses JSON text; a syntax error is a ConfigError naming the file, line and column, never the text. */
export function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const offset = jsonErrorOffset(text, message);
    const where = offset === undefined ? ' at end of file' : ((p) => ` at line ${p.line}, column ${p.column}`)(lineAndColumn(text, offset));
    // No cause: V8's message quotes the text.
    throw new ConfigError(file, '', `invalid JSON${where}: ${jsonErrorKind(message)}`);
  }
}
