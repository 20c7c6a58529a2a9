/**
 * JSON text to a value, and when the text is not JSON, where and why: `JSON.parse` gives no
 * position in a stable form (its message text is V8's and changes between versions), so on failure
 * a small scanner of JSON's grammar (RFC 8259) walks the text again and finds the first fault itself.
 * Messages name where and what was expected, never the text: a file given by mistake
 * (`--profile /etc/passwd`) may hold secrets, so only JSON's own punctuation is ever quoted.
 */
import { ConfigError } from '../core/errors.js';

/** The first syntax fault of a text: its offset (UTF-16 units) and what is wrong there. */
export interface JsonSyntaxFault {
  readonly offset: number;
  readonly problem: string;
}

const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r';
const numberAt = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const escapeAt = /\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/y;

/**
 * Scans `text` as JSON and returns its first fault, or undefined when it is valid. Iterative (an
 * explicit stack), so a hostile file of a million `[` cannot overflow the call stack.
 */
export function findJsonSyntaxFault(text: string): JsonSyntaxFault | undefined {
  let i = 0;
  const open: ('{' | '[')[] = [];
  const got = (): string => {
    const c = text[i];
    if (c === undefined) return ', got the end of the file';
    return '{}[],:"\''.includes(c) ? `, got '${c}'` : '';
  };
  const fault = (expected: string): JsonSyntaxFault => ({ offset: i, problem: `expected ${expected}${got()}` });
  const skipSpace = (): void => {
    while (isSpace(text[i])) i++;
  };
  /** Reads a string at `i` (which is `"`); a fault, or undefined when it was read. */
  const readString = (): JsonSyntaxFault | undefined => {
    const start = i++;
    for (;;) {
      const c = text[i];
      if (c === undefined) return { offset: start, problem: 'unterminated string' };
      if (c === '"') return void i++;
      if (c < ' ') return { offset: i, problem: `control character U+${c.charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()} in a string` };
      if (c === '\\') {
        escapeAt.lastIndex = i;
        if (!escapeAt.test(text)) return { offset: i, problem: 'invalid escape in a string' };
        i = escapeAt.lastIndex;
      } else i++;
    }
  };
  let state: 'value' | 'key' | 'after' = 'value';
  for (;;) {
    skipSpace();
    const c = text[i];
    if (state === 'value') {
      if (c === '{' || c === '[') {
        open.push(c);
        i++;
        skipSpace();
        const close = c === '{' ? '}' : ']';
        if (text[i] === close) {
          open.pop();
          i++;
          state = 'after';
        } else state = c === '{' ? 'key' : 'value';
        continue;
      }
      if (c === '"') {
        const f = readString();
        if (f) return f;
      } else if (c !== undefined && (c === '-' || (c >= '0' && c <= '9'))) {
        numberAt.lastIndex = i;
        if (!numberAt.test(text)) return { offset: i, problem: 'invalid number' };
        i = numberAt.lastIndex;
      } else {
        const word = ['true', 'false', 'null'].find((w) => text.startsWith(w, i));
        if (word === undefined) return fault('a value');
        i += word.length;
      }
      state = 'after';
    } else if (state === 'key') {
      if (c !== '"') return fault('a property name in double quotes');
      const f = readString();
      if (f) return f;
      skipSpace();
      if (text[i] !== ':') return fault("':' after a property name");
      i++;
      state = 'value';
    } else {
      const top = open.at(-1);
      if (top === undefined) return i >= text.length ? undefined : fault('the end of the file after the JSON value');
      const close = top === '{' ? '}' : ']';
      if (c === ',') {
        i++;
        state = top === '{' ? 'key' : 'value';
      } else if (c === close) {
        open.pop();
        i++;
      } else return fault(top === '{' ? "',' or '}' after a property value" : "',' or ']' after an array element");
    }
  }
}

/** Where `offset` is, for a message: `line 3, column 7` (both from 1), or `end of file`. */
function position(text: string, offset: number): string {
  if (offset >= text.length) return 'end of file';
  const before = text.slice(0, offset).split('\n');
  return `line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1}`;
}

/**
 * Parses JSON text; a syntax error is a {@link ConfigError} naming the file, line, column and fault,
 * never the text (and without V8's error as its cause: that message quotes the text).
 */
export function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    const f = findJsonSyntaxFault(text);
    throw new ConfigError(file, '', f ? `invalid JSON at ${position(text, f.offset)}: ${f.problem}` : 'invalid JSON');
  }
}
