/**
 * Character sets for the RE2 translator: sorted, merged UTF-16 code-unit ranges, with RE2's Perl
 * (`\d \s \w`), POSIX (`[:alpha:]`) and Unicode (`\pL`, `\p{Greek}`) classes, negation and case
 * folding. Sets stay within the BMP: the linear-time engine runs without the `u` flag, so it sees
 * code units, not code points.
 */

/** An inclusive range of UTF-16 code units. */
export type Range = readonly [number, number];

const MAX = 0xffff;

/** Sorts and merges ranges. */
export function normalize(ranges: readonly Range[]): Range[] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [lo, hi] of sorted) {
    const last = out[out.length - 1];
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

/** The complement of a set within the BMP. */
export function negate(ranges: readonly Range[]): Range[] {
  const out: Range[] = [];
  let next = 0;
  for (const [lo, hi] of normalize(ranges)) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= MAX) out.push([next, MAX]);
  return out;
}

/** Whether the set holds `c`. */
export function contains(ranges: readonly Range[], c: number): boolean {
  return ranges.some(([lo, hi]) => lo <= c && c <= hi);
}

const ch = (s: string): number => s.charCodeAt(0);
const r = (a: string, b: string = a): Range => [ch(a), ch(b)];

/** RE2's Perl classes (ASCII only, as RE2's). */
export const perlClasses: Readonly<Record<string, readonly Range[]>> = {
  d: [r('0', '9')],
  s: [[9, 10], [12, 13], [32, 32]],
  w: [r('0', '9'), r('A', 'Z'), r('_'), r('a', 'z')],
};

/** RE2's POSIX classes (`[[:alpha:]]`), ASCII. */
export const posixClasses: Readonly<Record<string, readonly Range[]>> = {
  alnum: [r('0', '9'), r('A', 'Z'), r('a', 'z')],
  alpha: [r('A', 'Z'), r('a', 'z')],
  ascii: [[0, 0x7f]],
  blank: [[9, 9], [32, 32]],
  cntrl: [[0, 0x1f], [0x7f, 0x7f]],
  digit: [r('0', '9')],
  graph: [[0x21, 0x7e]],
  lower: [r('a', 'z')],
  print: [[0x20, 0x7e]],
  punct: [[0x21, 0x2f], [0x3a, 0x40], [0x5b, 0x60], [0x7b, 0x7e]],
  space: [[9, 13], [32, 32]],
  upper: [r('A', 'Z')],
  word: [r('0', '9'), r('A', 'Z'), r('_'), r('a', 'z')],
  xdigit: [r('0', '9'), r('A', 'F'), r('a', 'f')],
};

let bmpTexts: readonly (readonly [number, string])[] | undefined;

/**
 * The code units a global `u` regex of one-character runs (`\p{L}+`) matches in the BMP, surrogates
 * left out (in a text they would pair up): one scan instead of a test per code unit.
 */
function scanBmp(re: RegExp): Range[] {
  if (!bmpTexts) {
    const text = (lo: number, hi: number): string => {
      const parts: string[] = [];
      for (let c = lo; c <= hi; c += 4096) parts.push(String.fromCharCode(...Array.from({ length: Math.min(4096, hi - c + 1) }, (_, i) => c + i)));
      return parts.join('');
    };
    bmpTexts = [[0, text(0, 0xd7ff)], [0xe000, text(0xe000, MAX)]];
  }
  const out: Range[] = [];
  for (const [lo, text] of bmpTexts) for (const m of text.matchAll(re)) out.push([lo + m.index, lo + m.index + m[0].length - 1]);
  return out;
}

const unicodeCache = new Map<string, Range[] | undefined>();

/**
 * The BMP part of a Unicode general category or script (`L`, `Lu`, `Greek`, `Any`), or undefined
 * when JavaScript does not know the name. Computed once per name.
 */
export function unicodeClass(name: string): Range[] | undefined {
  if (unicodeCache.has(name)) return unicodeCache.get(name);
  let ranges: Range[] | undefined;
  if (name === 'Any') ranges = [[0, MAX]];
  else {
    for (const src of [`\\p{${name}}+`, `\\p{Script=${name}}+`]) {
      let re: RegExp;
      try {
        re = new RegExp(src, 'gu');
      } catch {
        continue; // not this kind of name
      }
      ranges = scanBmp(re);
      break;
    }
  }
  unicodeCache.set(name, ranges);
  return ranges;
}

let orbits: ReadonlyMap<number, readonly number[]> | undefined;

/**
 * RE2's case folding within the BMP: each character that folds to others, with its orbit (itself
 * included). RE2 folds by Unicode's simple case folding, as JavaScript's `iu` regexes do, so those
 * decide. Only characters that change under a case mapping can fold; they are grouped by
 * lower(upper(c)), which the members of an orbit share (σ, ς and Σ; k, K and the Kelvin sign), and
 * each group is split by the `iu` test (ı is not i). Three pairs that share no such key are left
 * unfolded: U+0390/U+1FD3, U+03B0/U+1FE3, U+FB05/U+FB06. Built on the first case-insensitive pattern.
 */
function caseOrbits(): ReadonlyMap<number, readonly number[]> {
  if (orbits) return orbits;
  const groups = new Map<number, number[]>();
  for (const [lo, hi] of scanBmp(/\p{Changes_When_Casemapped}+/gu)) for (let c = lo; c <= hi; c++) {
    const s = String.fromCharCode(c);
    const upper = s.toUpperCase();
    const lower = (upper.length === 1 ? upper : s).toLowerCase();
    const key = lower.length === 1 ? lower.charCodeAt(0) : c;
    if (key === c) continue;
    const group = groups.get(key);
    if (group) group.push(c);
    else groups.set(key, [key, c]);
  }
  const out = new Map<number, readonly number[]>();
  for (let rest of groups.values()) {
    while (rest.length > 1) {
      const same = new RegExp(`^\\u{${(rest[0] as number).toString(16)}}$`, 'iu');
      const orbit = rest.filter((d) => same.test(String.fromCharCode(d)));
      if (orbit.length > 1) for (const c of orbit) out.set(c, orbit);
      rest = rest.filter((d) => !orbit.includes(d));
    }
  }
  orbits = out;
  return out;
}

/** The code units `c` matches case-insensitively (itself included). */
export function foldsOf(c: number): readonly number[] {
  return caseOrbits().get(c) ?? [c];
}

/** Adds every case variant of the set's members. */
export function foldRanges(ranges: readonly Range[]): Range[] {
  const folds = caseOrbits();
  const out: Range[] = [...ranges];
  const add = (orbit: readonly number[] | undefined): void => {
    if (orbit) for (const d of orbit) out.push([d, d]);
  };
  for (const [lo, hi] of ranges) {
    // Whichever is fewer: the range's code units, or the characters that fold.
    if (hi - lo < folds.size) for (let c = lo; c <= hi; c++) add(folds.get(c));
    else for (const [c, orbit] of folds) if (lo <= c && c <= hi) add(orbit);
  }
  return normalize(out);
}
