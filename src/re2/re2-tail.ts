/**
 * What may follow a newline inside a match: for a rule matched against a window of lines joined by
 * `\n` (rule-matcher.ts), a match that starts in an earlier line holds the `\n` before the newest
 * line, and the newest line is then the part of the match after that newline. So a newest line
 * that is not such a part can only complete a match that lies inside it, and the lines before it
 * are not needed to match it (the prefilter's context, line-prefilter.ts).
 *
 * Built from the parsed pattern, over-approximating where it must (never a string too few): after
 * a newline matched by item `i` of a sequence comes the rest of item `i` then items `i+1…`; in a
 * repeat `x{m,n}` the rest of one `x` then at most `n − 1` more; assertions are kept as they are,
 * which on the newest line alone can only accept more (`^` holds at its start, `\b` sees a non-word
 * character before it as the `\n` is).
 */
import { Re2Error } from '../core/errors.js';
import { contains } from './re2-classes.js';
import type { Re2Node } from './re2-parse.js';

/** Renders a node as JavaScript source (no captures), inside repeats whose counts multiply to `factor`. */
export type RenderNode = (n: Re2Node, factor: number) => string;

/**
 * The source of a pattern every text that follows a newline inside a match of `ast` matches in full
 * (to be wrapped as `^(?:…)$`), or undefined when no match holds a newline or the source would be
 * longer than `maxSource` (then any text may follow).
 */
export function afterNewlineSource(ast: Re2Node, render: RenderNode, maxSource: number): string | undefined {
  let size = 0;
  const grow = (s: string): string => {
    size += s.length;
    if (size > maxSource) throw new RangeError('too long');
    return s;
  };
  const seqTail = (seq: readonly Re2Node[], factor: number): string | undefined => {
    const alts: string[] = [];
    seq.forEach((n, i) => {
      const t = tail(n, factor);
      if (t !== undefined) alts.push(grow(t + seq.slice(i + 1).map((x) => render(x, factor)).join('')));
    });
    return alts.length > 0 ? alts.join('|') : undefined;
  };
  const tail = (n: Re2Node, factor: number): string | undefined => {
    switch (n.k) {
      case 'char':
        return n.c === 10 ? '' : undefined;
      case 'set':
        return contains(n.ranges, 10) ? '' : undefined;
      case 'group': {
        const alts = n.alts.map((seq) => seqTail(seq, factor)).filter((t): t is string => t !== undefined);
        return alts.length > 0 ? `(?:${alts.join('|')})` : undefined;
      }
      case 'rep': {
        if (n.max === 0) return undefined;
        const t = tail(n.node, factor * Math.max(1, n.max === Infinity ? n.min : n.max));
        if (t === undefined || n.max === 1) return t;
        return grow(`(?:${t})${render({ k: 'rep', node: n.node, min: 0, max: n.max - 1, greedy: true }, factor)}`);
      }
      default:
        return undefined;
    }
  };
  try {
    return tail(ast, 1);
  } catch (err) {
    if (err instanceof RangeError || err instanceof Re2Error) return undefined;
    throw err;
  }
}
