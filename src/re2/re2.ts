/**
 * Go/RE2 patterns as JavaScript regular expressions that V8 can always run in linear time.
 *
 * NPD's rules are RE2: no backtracking blow-up, whatever the input. V8's default engine backtracks, but
 * V8 also has a linear-time engine that takes over a regex after excessive backtracking, if the regex
 * only uses what that engine supports (no `i`/`u` flags, no lookahead, no backreferences, repeat
 * counts up to 16). So each pattern is parsed as RE2 (`re2-parse.ts`) and rendered with only those
 * features: case-insensitivity becomes `[aA]` classes, `.` becomes `[^\n]` (RE2's dot), `\s` is RE2's
 * ASCII set, `(?m)^` a lookbehind, larger repeats are expanded. The result is checked with the `l`
 * flag (linear engine) and compiled without it, so the fast backtracking JIT runs it and V8 falls
 * back to the linear engine when it would stall.
 *
 * Both need V8 flags, set once per process before the first pattern is compiled, never as a side
 * effect of importing this module: the CLI calls `enableLinearRegexpEngine` (`linear-engine.ts`)
 * first thing, and jest's setup file (`test/setup/linear-regexp-engine.ts`) does the same for the tests.
 */
import { Re2Error, Re2SyntaxError } from '../core/errors.js';
import { contains, negate } from './re2-classes.js';
import type { Range } from './re2-classes.js';
import { linearEngineEnabled } from './linear-engine.js';
import { parseRe2 } from './re2-parse.js';
import { afterNewlineSource } from './re2-tail.js';
import type { Re2Node } from './re2-parse.js';

/** A translated pattern. */
export interface CompiledPattern {
  /** The runtime regex (backtracking JIT, linear-engine fallback). Not global: no `lastIndex` state. */
  readonly regex: RegExp;
  /**
   * The same pattern on V8's linear-time engine only: O(text × pattern) always. For long texts:
   * the backtracking JIT falls back only on exponential backtracking, and a quadratic search
   * (`.*x$` tried from every start of a 64 K-character line without `x`) takes seconds without
   * ever falling back.
   */
  readonly linear: RegExp;
  /** The JavaScript source of `regex`. */
  readonly source: string;
  /** Whether a match can contain `\n`, i.e. reach over more than one line of a joined window. */
  readonly canSpanLines: boolean;
  /**
   * Whether the pattern has a start-of-text anchor (`^` without `(?m)`, `\A`): then it depends on
   * where the text starts, and testing one line alone differs from testing the joined window.
   */
  readonly anchorsStart: boolean;
  /** Substrings every match contains (case-sensitive), for prefiltering; may be empty. */
  readonly literals: readonly string[];
  /**
   * Substrings every match contains after its last newline (the same as `literals` when a match
   * holds none): with `anchorEnd` over a window of lines, the newest line holds them.
   */
  readonly lastLineLiterals: readonly string[];
  /**
   * A pattern (`regex` and `linear`, as above) that the part of a match after one of its newlines
   * matches in full, over-approximated (re2-tail.ts): with `anchorEnd` over a window of lines, a
   * newest line that does not match it completes no match that starts in an earlier line.
   * Undefined when no match holds a newline, or it was not built (then assume any line may).
   */
  readonly afterNewline: Pick<CompiledPattern, 'regex' | 'linear'> | undefined;
}

/** Options of {@link compileRe2}. */
export interface CompileRe2Options {
  /** Wrap as `(?:pattern)\z`: the match must end at the end of the text. @default false */
  readonly anchorEnd?: boolean;
}

const hex = (c: number): string => (c < 0x100 ? `\\x${c.toString(16).padStart(2, '0')}` : `\\u${c.toString(16).padStart(4, '0')}`);

function renderChar(c: number, inClass: boolean): string {
  if (c > 0xffff) {
    const s = String.fromCodePoint(c);
    return hex(s.charCodeAt(0)) + hex(s.charCodeAt(1));
  }
  if (c === 10) return '\\n';
  if (c === 9) return '\\t';
  if (c === 13) return '\\r';
  if (c < 0x20 || c > 0x7e) return hex(c);
  const s = String.fromCharCode(c);
  const special = inClass ? '\\]^-[' : '\\^$.|?*+()[]{}/';
  return special.includes(s) ? `\\${s}` : s;
}

function renderRanges(ranges: readonly Range[]): string {
  return ranges.map(([lo, hi]) => (lo === hi ? renderChar(lo, true) : `${renderChar(lo, true)}${hi > lo + 1 ? '-' : ''}${renderChar(hi, true)}`)).join('');
}

function renderSet(ranges: readonly Range[]): string {
  const first = ranges[0] as Range;
  if (ranges.length === 1 && first[0] === first[1]) return renderChar(first[0], false);
  const pos = renderRanges(ranges);
  // V8's linear-time engine (Node 24) gets a negated class holding U+FFFF wrong: `[^!\uffff]` matches `!`.
  if (!contains(ranges, 0xffff)) return `[${pos}]`;
  const neg = renderRanges(negate(ranges));
  return neg.length < pos.length ? `[^${neg}]` : `[${pos}]`;
}

function isAtom(n: Re2Node): boolean {
  return (n.k === 'char' && n.c <= 0xffff) || n.k === 'set' || n.k === 'group';
}

/**
 * Largest product of the counts of nested repeats V8's linear-time engine takes (each repeat counts its
 * `max`, or its `min` when unbounded, at least 1: `(?:a{9}){2,}` is 18); beyond, repeats are expanded.
 */
const MAX_LINEAR_REPEAT = 16;
/**
 * Longest pattern accepted. NPD's patterns are under 200 characters; a pattern of megabytes is a
 * mistake (a file pasted in) that would cost memory and time on every line.
 */
export const MAX_PATTERN_LENGTH = 16_384;
/** Longest JavaScript source a pattern may expand to. */
const MAX_SOURCE = 100_000;

function quantifier(min: number, max: number): string {
  if (min === 0 && max === Infinity) return '*';
  if (min === 1 && max === Infinity) return '+';
  if (min === 0 && max === 1) return '?';
  if (max === Infinity) return `{${min},}`;
  return min === max ? `{${min}}` : `{${min},${max}}`;
}

/**
 * A repeat. Counts above what the linear engine takes are expanded as RE2 itself compiles them:
 * `x{3,5}` → `xxx(?:x(?:x)?)?` (captures inside become plain groups, since they repeat). `factor`:
 * the product of the counts of the repeats around this one.
 */
function renderRepeat(n: Extract<Re2Node, { k: 'rep' }>, pattern: string, noCapture: boolean, factor: number): string {
  const lazy = n.greedy ? '' : '?';
  const local = factor * Math.max(1, n.max === Infinity ? n.min : n.max);
  const small = local <= MAX_LINEAR_REPEAT;
  const inner = render(n.node, pattern, noCapture || !small, small ? local : factor);
  const atom = isAtom(n.node) ? inner : `(?:${inner})`;
  if (small) return `${atom}${quantifier(n.min, n.max)}${lazy}`;
  if ((atom.length + 6) * (n.max === Infinity ? n.min + 1 : n.max) > MAX_SOURCE) {
    throw new Re2Error(pattern, `repeat ${quantifier(n.min, n.max)} expands to more than ${MAX_SOURCE} characters`);
  }
  let out = atom.repeat(n.min);
  if (n.max === Infinity) return `${out}${atom}*${lazy}`;
  let optional = '';
  for (let i = n.min; i < n.max; i++) optional = `(?:${atom}${optional})?${lazy}`;
  out += optional;
  return out;
}

function render(n: Re2Node, pattern: string, noCapture = false, factor = 1): string {
  switch (n.k) {
    case 'char':
      return renderChar(n.c, false);
    case 'set':
      return renderSet(n.ranges);
    case 'bol':
      return n.multi ? '(?<![^\\n])' : '^';
    case 'eol':
      if (n.multi) throw new Re2Error(pattern, '`$` under (?m) is not supported (V8 has no linear-time lookahead); match `\\n` instead');
      return '$';
    case 'wordb':
      return n.neg ? '\\B' : '\\b';
    case 'group': {
      const body = n.alts.map((seq) => seq.map((x) => render(x, pattern, noCapture, factor)).join('')).join('|');
      const open = !n.capture || noCapture ? '(?:' : n.name !== undefined ? `(?<${n.name}>` : '(';
      return `${open}${body})`;
    }
    case 'rep':
      return renderRepeat(n, pattern, noCapture, factor);
  }
}

function canMatchNewline(n: Re2Node): boolean {
  switch (n.k) {
    case 'char':
      return n.c === 10;
    case 'set':
      return contains(n.ranges, 10);
    case 'group':
      return n.alts.some((seq) => seq.some(canMatchNewline));
    case 'rep':
      return n.max > 0 && canMatchNewline(n.node);
    default:
      return false;
  }
}

function hasStartAnchor(n: Re2Node): boolean {
  if (n.k === 'bol') return !n.multi;
  if (n.k === 'group') return n.alts.some((seq) => seq.some(hasStartAnchor));
  if (n.k === 'rep') return hasStartAnchor(n.node);
  return false;
}

/** Substrings every match of `seq` contains: runs of literal characters on its mandatory path. */
function requiredLiterals(seq: readonly Re2Node[], out: string[]): void {
  let run = '';
  const flush = (): void => {
    if (run) out.push(run);
    run = '';
  };
  const walk = (items: readonly Re2Node[]): void => {
    for (const n of items) {
      if (n.k === 'char') run += String.fromCodePoint(n.c);
      else if (n.k === 'set' && n.ranges.length === 1 && n.ranges[0]?.[0] === n.ranges[0]?.[1]) run += String.fromCharCode(n.ranges[0]?.[0] as number);
      else if (n.k === 'bol' || n.k === 'eol' || n.k === 'wordb') continue;
      else if (n.k === 'group' && n.alts.length === 1) walk(n.alts[0] as Re2Node[]);
      else if (n.k === 'rep' && n.min === 1 && n.max === 1) walk([n.node]);
      else if (n.k === 'rep' && n.min >= 1) {
        flush();
        requiredLiterals([n.node], out);
      } else flush();
    }
  };
  walk(seq);
  flush();
}

/**
 * Longest text run on the backtracking JIT: fast, and quadratic at worst (2 Ki² steps is a few
 * milliseconds). Longer texts run on the linear-time engine, because the JIT's fallback triggers only
 * on exponential backtracking: a quadratic search (`.*x` tried from every start of a 64 Ki-character
 * line) took 9 s without ever falling back.
 */
export const jitMaxChars = 2048;

/** `c.regex.exec(text)`, or its linear-time twin's when `text` is longer than {@link jitMaxChars}. */
export function execPattern(c: Pick<CompiledPattern, 'regex' | 'linear'>, text: string): RegExpExecArray | null {
  return (text.length > jitMaxChars ? c.linear : c.regex).exec(text);
}

/**
 * A function giving where the first match of `c` in a text ends (undefined: no match), choosing the
 * engine as {@link execPattern} does, without a match array per call: for patterns run on every line.
 */
export function matchEnd(c: Pick<CompiledPattern, 'regex' | 'linear'>): (text: string) => number | undefined {
  // Global copies: after test(), lastIndex is where the match ends.
  const jit = new RegExp(c.regex.source, 'g');
  const linear = new RegExp(c.linear.source, 'gl');
  return (text) => {
    const re = text.length > jitMaxChars ? linear : jit;
    re.lastIndex = 0;
    return re.test(text) ? re.lastIndex : undefined;
  };
}

/**
 * Translates a Go/RE2 pattern to a JavaScript RegExp that runs in linear time (see the file comment).
 * Throws {@link Re2Error} naming what is unsupported or invalid.
 * @example compileRe2('(?i)task \\S+ blocked', { anchorEnd: true }).regex.test('TASK x blocked') // true
 */
export function compileRe2(pattern: string, options: CompileRe2Options = {}): CompiledPattern {
  if (pattern.length > MAX_PATTERN_LENGTH) throw new Re2Error(pattern, `pattern is ${pattern.length} characters long, at most ${MAX_PATTERN_LENGTH}`);
  let ast: Re2Node;
  try {
    ast = parseRe2(pattern);
  } catch (err) {
    if (err instanceof Re2SyntaxError) throw new Re2Error(pattern, `${err.message} at offset ${err.offset}`, { cause: err });
    throw err;
  }
  let source = render(ast, pattern);
  if (source.length > MAX_SOURCE) throw new Re2Error(pattern, `expands to more than ${MAX_SOURCE} characters`);
  if (options.anchorEnd) source = `${source}$`;
  // A bug of the caller, not of the pattern: without the engine every pattern would look unsupported.
  if (!linearEngineEnabled()) throw new Error("V8's linear-time regexp engine is off: call enableLinearRegexpEngine() before compiling patterns");
  let linear: RegExp;
  try {
    linear = new RegExp(source, 'l');
  } catch (err) {
    throw new Re2Error(pattern, "cannot be run by V8's linear-time engine", { cause: err });
  }
  const literals: string[] = [];
  const lastLineLiterals: string[] = [];
  if (ast.k === 'group' && ast.alts.length === 1) {
    const seq = ast.alts[0] as Re2Node[];
    requiredLiterals(seq, literals);
    // After the last item that can match a newline, a match holds none.
    let last = seq.length - 1;
    while (last >= 0 && !canMatchNewline(seq[last] as Re2Node)) last--;
    requiredLiterals(seq.slice(last + 1), lastLineLiterals);
  }
  const canSpanLines = canMatchNewline(ast);
  const tail = canSpanLines ? afterNewlineSource(ast, (n, factor) => render(n, pattern, true, factor), MAX_SOURCE) : undefined;
  let afterNewline: CompiledPattern['afterNewline'];
  try {
    if (tail !== undefined) afterNewline = { regex: new RegExp(`^(?:${tail})$`), linear: new RegExp(`^(?:${tail})$`, 'l') };
  } catch {
    afterNewline = undefined; // not for the linear engine: any line may follow a newline
  }
  return {
    regex: new RegExp(source),
    linear,
    source,
    canSpanLines,
    anchorsStart: hasStartAnchor(ast),
    literals: [...new Set(literals)],
    lastLineLiterals: [...new Set(lastLineLiterals)],
    afterNewline,
  };
}
