/**
 * A parser for Go/RE2 regular-expression syntax (regexp/syntax with Perl flags), producing a small
 * AST that `re2.ts` renders as a JavaScript pattern. Flags (`i`, `m`, `s`, `U`) are resolved here:
 * case-insensitive letters become classes, `.` becomes a set, anchors record their mode.
 */
import { Re2SyntaxError } from '../core/errors.js';
import { foldRanges, foldsOf, negate, normalize, perlClasses, posixClasses, unicodeClass } from './re2-classes.js';
import type { Range } from './re2-classes.js';

/** A node of a parsed pattern. */
export type Re2Node =
  | { readonly k: 'char'; readonly c: number }
  | { readonly k: 'set'; readonly ranges: readonly Range[] }
  | { readonly k: 'bol' | 'eol'; readonly multi: boolean }
  | { readonly k: 'wordb'; readonly neg: boolean }
  | { readonly k: 'group'; readonly name: string | undefined; readonly capture: boolean; readonly alts: readonly Re2Node[][] }
  | { readonly k: 'rep'; readonly node: Re2Node; readonly min: number; readonly max: number; readonly greedy: boolean };

interface Flags {
  i: boolean;
  m: boolean;
  s: boolean;
  U: boolean;
}

const MAX_REPEAT = 1000;
/** Deepest group nesting, as Go's regexp/syntax (`maxHeight`); deeper would overflow the stack. */
export const MAX_NESTING = 1000;
const simpleEscapes: Readonly<Record<string, number>> = { a: 7, f: 12, t: 9, n: 10, r: 13, v: 11 };

/** Parses an RE2 pattern. Throws {@link Re2SyntaxError}. */
export function parseRe2(pattern: string): Re2Node {
  let pos = 0;
  const names = new Set<string>();
  const fail = (msg: string, at = pos): never => {
    throw new Re2SyntaxError(msg, at);
  };
  const peek = (): number | undefined => pattern.codePointAt(pos);
  const next = (): number => {
    const c = pattern.codePointAt(pos);
    if (c === undefined) return fail('unexpected end of pattern');
    pos += c > 0xffff ? 2 : 1;
    return c;
  };
  const charNode = (c: number, f: Flags): Re2Node => {
    if (f.i && foldsOf(c).length > 1) return { k: 'set', ranges: normalize(foldsOf(c).map((x) => [x, x])) };
    return { k: 'char', c };
  };
  /** A class, folded under (?i) before it is negated (as RE2: `(?i)\W` matches neither `s` nor `S`). */
  const classSet = (ranges: readonly Range[], negated: boolean, f: Flags): Range[] => {
    const folded = f.i ? foldRanges(ranges) : normalize(ranges);
    return negated ? negate(folded) : folded;
  };

  /** The value of a `\\x` escape's digits (`shown`: the escape as written, for errors). */
  const readHex = (digits: string, shown: string, start: number): number => {
    if (!/^[0-9a-fA-F]+$/.test(digits)) fail(`invalid hex escape ${shown}`, start);
    const v = parseInt(digits, 16);
    if (v > 0x10ffff) fail(`hex escape out of range: ${shown}`, start);
    return v;
  };

  /** Parses an escape after the backslash: a code point, or a set of ranges (folded under `f.i`). */
  const parseEscape = (f: Flags): number | Range[] => {
    const start = pos - 1;
    const c = String.fromCodePoint(next());
    if (c in simpleEscapes) return simpleEscapes[c] as number;
    const perl = perlClasses[c.toLowerCase()];
    if (perl) return classSet(perl, c !== c.toLowerCase(), f);
    if (c === 'x') {
      if (pattern[pos] === '{') {
        const end = pattern.indexOf('}', pos);
        if (end < 0) fail('missing } in \\x{…}', start);
        const v = readHex(pattern.slice(pos + 1, end), pattern.slice(start, end + 1), start);
        pos = end + 1;
        return v;
      }
      const digits = pattern.slice(pos, pos + 2);
      const v = readHex(digits.length === 2 ? digits : '', `\\x${digits}`, start);
      pos += 2;
      return v;
    }
    if (c === 'p' || c === 'P') {
      let name: string;
      if (pattern[pos] === '{') {
        const end = pattern.indexOf('}', pos);
        if (end < 0) fail('missing } in \\p{…}', start);
        name = pattern.slice(pos + 1, end);
        pos = end + 1;
      } else name = String.fromCodePoint(next());
      let neg = c === 'P';
      if (name.startsWith('^')) {
        neg = !neg;
        name = name.slice(1);
      }
      const ranges = unicodeClass(name);
      if (!ranges) return fail(`unknown Unicode class \\${c}{${name}}`, start);
      return classSet(ranges, neg, f);
    }
    if (c >= '0' && c <= '7') {
      // Go: \0 and \1–\7 followed by an octal digit are octal (up to 3 digits); a lone \1 is a backreference.
      if (c !== '0' && !/[0-7]/.test(pattern[pos] ?? '')) fail(`backreferences are not supported in RE2: \\${c}`, start);
      let digits = c;
      while (digits.length < 3 && /[0-7]/.test(pattern[pos] ?? '')) digits += pattern[pos++];
      return parseInt(digits, 8);
    }
    if (/[8-9]/.test(c)) fail(`backreferences are not supported in RE2: \\${c}`, start);
    if (c.length === 1 && c.charCodeAt(0) < 0x80 && !/[0-9A-Za-z]/.test(c)) return c.charCodeAt(0);
    return fail(`invalid escape sequence \\${c}`, start);
  };

  const parseClass = (f: Flags): Re2Node => {
    const start = pos - 1;
    const negated = pattern[pos] === '^';
    if (negated) pos++;
    const ranges: Range[] = [];
    let first = true;
    for (;;) {
      if (pos >= pattern.length) fail('missing closing ] of character class', start);
      if (pattern[pos] === ']' && !first) {
        pos++;
        break;
      }
      first = false;
      if (pattern.startsWith('[:', pos)) {
        const end = pattern.indexOf(':]', pos + 2);
        if (end > 0) {
          let name = pattern.slice(pos + 2, end);
          const neg = name.startsWith('^');
          if (neg) name = name.slice(1);
          const cls = posixClasses[name];
          if (!cls) fail(`unknown POSIX class [:${name}:]`);
          ranges.push(...classSet(cls as Range[], neg, f));
          pos = end + 2;
          continue;
        }
      }
      const itemStart = pos;
      let lo: number | Range[] = next();
      if (lo === 0x5c) lo = parseEscape(f);
      if (typeof lo !== 'number') {
        ranges.push(...lo);
        continue;
      }
      let hi = lo;
      if (pattern[pos] === '-' && pattern[pos + 1] !== ']' && pos + 1 < pattern.length) {
        pos++;
        let h: number | Range[] = next();
        if (h === 0x5c) h = parseEscape(f);
        if (typeof h !== 'number') return fail('bad character class range', itemStart);
        hi = h;
        if (hi < lo) fail(`invalid character class range ${pattern.slice(itemStart, pos)}`, itemStart);
      }
      if (hi > 0xffff) fail('characters outside the BMP are not supported inside a character class', itemStart);
      ranges.push([lo, hi]);
    }
    return { k: 'set', ranges: classSet(ranges, negated, f) };
  };

  const parseRepeat = (): { min: number; max: number } | undefined => {
    // As Go: a count with a leading zero makes `{` a literal; a count over 1000, however long, is an error.
    const m = /^\{(0|[1-9]\d*)(,(0|[1-9]\d*)?)?\}/.exec(pattern.slice(pos));
    if (!m) return undefined;
    const min = Number(m[1]);
    const max = m[2] === undefined ? min : m[3] === undefined ? Infinity : Number(m[3]);
    if (min > MAX_REPEAT || (max !== Infinity && max > MAX_REPEAT) || max < min) fail(`invalid repeat count ${m[0]}`);
    pos += m[0].length;
    return { min, max };
  };

  const parseGroupStart = (f: Flags): { name: string | undefined; capture: boolean } | 'flags-only' => {
    if (pattern[pos] !== '?') return { name: undefined, capture: true };
    const start = pos - 1;
    pos++;
    const named = /^(?:P<|<)([A-Za-z0-9_]+)>/.exec(pattern.slice(pos));
    if (named) {
      if (names.has(named[1] as string)) fail(`duplicate capture group name ${named[1]}`, start);
      names.add(named[1] as string);
      pos += named[0].length;
      return { name: named[1], capture: true };
    }
    let neg = false;
    let sawFlag = false;
    for (;;) {
      const c = pattern[pos++];
      if (c === undefined) return fail('missing closing )', start);
      if (c === 'i' || c === 'm' || c === 's' || c === 'U') {
        f[c] = !neg;
        sawFlag = true;
      } else if (c === '-' && !neg) {
        neg = true;
        sawFlag = false;
      } else if (c === ':' && (!neg || sawFlag)) return { name: undefined, capture: false };
      else if (c === ')' && sawFlag) return 'flags-only';
      else return fail(`invalid or unsupported group syntax ${pattern.slice(start, pos)}`, start);
    }
  };

  /** Parses alternatives until `)` or the end; flags set by `(?i)` last to the end of the group. */
  const parseAlts = (f: Flags, depth: number): Re2Node[][] => {
    const alts: Re2Node[][] = [[]];
    let lastRepeat = false;
    for (;;) {
      const seq = alts[alts.length - 1] as Re2Node[];
      const c = peek();
      if (c === undefined) {
        if (depth > 0) fail('missing closing )');
        return alts;
      }
      const at = pos;
      next();
      const ch = String.fromCodePoint(c);
      if (ch === ')') {
        if (depth === 0) fail('unexpected )', at);
        return alts;
      }
      if (ch === '|') {
        alts.push([]);
        continue;
      }
      let repeat: { min: number; max: number } | undefined;
      if (ch === '*') repeat = { min: 0, max: Infinity };
      else if (ch === '+') repeat = { min: 1, max: Infinity };
      else if (ch === '?') repeat = { min: 0, max: 1 };
      else if (ch === '{') {
        pos = at;
        repeat = parseRepeat();
        if (!repeat) pos = at + 1;
      }
      if (repeat) {
        const prev = seq.pop();
        if (!prev) fail(`missing argument to repetition operator ${pattern.slice(at, pos)}`, at);
        if (lastRepeat) fail(`invalid nested repetition operator ${pattern.slice(at, pos)}`, at);
        let greedy = true;
        if (pattern[pos] === '?') {
          pos++;
          greedy = false;
        }
        if (f.U) greedy = !greedy;
        seq.push({ k: 'rep', node: prev as Re2Node, ...repeat, greedy });
        lastRepeat = true;
        continue;
      }
      lastRepeat = false;
      if (ch === '(') {
        if (depth >= MAX_NESTING) fail(`groups nested deeper than ${MAX_NESTING}`, at);
        const inner: Flags = { ...f };
        const g = parseGroupStart(inner);
        if (g === 'flags-only') {
          Object.assign(f, inner);
          continue;
        }
        seq.push({ k: 'group', name: g.name, capture: g.capture, alts: parseAlts(inner, depth + 1) });
      } else if (ch === '[') seq.push(parseClass(f));
      else if (ch === '.') seq.push({ k: 'set', ranges: f.s ? [[0, 0xffff]] : negate([[10, 10]]) });
      else if (ch === '^') seq.push({ k: 'bol', multi: f.m });
      else if (ch === '$') seq.push({ k: 'eol', multi: f.m });
      else if (ch === '\\') {
        const e = pattern[pos];
        if (e === 'A' || e === 'z') {
          pos++;
          seq.push({ k: e === 'A' ? 'bol' : 'eol', multi: false });
        } else if (e === 'b' || e === 'B') {
          pos++;
          seq.push({ k: 'wordb', neg: e === 'B' });
        } else if (e === 'Q') {
          const end = pattern.indexOf('\\E', pos + 1);
          const lit = pattern.slice(pos + 1, end < 0 ? undefined : end);
          pos = end < 0 ? pattern.length : end + 2;
          for (const x of lit) seq.push(charNode(x.codePointAt(0) as number, f));
        } else if (e === 'C') fail('\\C (any byte) is not supported', at);
        else if (e === 'Z') fail('\\Z is not RE2 syntax; use \\z', at);
        else {
          const v = parseEscape(f);
          seq.push(typeof v === 'number' ? charNode(v, f) : { k: 'set', ranges: v });
        }
      } else seq.push(charNode(c, f));
    }
  };

  const alts = parseAlts({ i: false, m: false, s: false, U: false }, 0);
  return { k: 'group', name: undefined, capture: false, alts };
}
