/**
 * Describing a line where it lies in the text of a read, without cutting it out: for the lines a
 * prefilter leaves out (line-prefilter.ts), only their time and whether their message is empty are
 * needed. The fast case is NPD's syslog configuration: a `^.{N}` timestamp (the same text as the
 * line before in most lines) and a `head(.*)` message whose head matches no newline and has no
 * anchor or word boundary, searched with a sticky regex from the line's start. Any other line (a
 * new timestamp that the layout cannot read, no head match, a long, cut or CRLF line) is cut out
 * and given to the parser's own describer, so the answer is always the parser's.
 */
import { compileRe2, jitMaxChars } from '../re2/re2.js';
import { compileGoTimeLayout } from './go-time-layout.js';
import { messageHead, type LineDescriber, type LineParserOptions } from './line-parser.js';
import type { LineRanges } from './line-splitter.js';

/** Describes lines where they lie in the text of a read. */
export interface RangeDescriber {
  /** {@link LineDescriber} of the line at `[start, end)` of `text`. */
  readonly describe: (text: string, start: number, end: number) => ReturnType<LineDescriber>;
  /**
   * How many lines from line `from` of `lines` on, in a row, describe exactly as the line described
   * last did: the same timestamp text and "now", a message that is not empty. Their answer cannot
   * differ, so they are counted at once (one call per run, not per line). Stops before the line
   * holding position `hit` (unless -1). 0 when the last line went to the parser.
   */
  readonly sameRun: (lines: LineRanges, from: number, hit: number) => number;
}

const isPrintable = (c: number): boolean => c > 32 && c < 127;

/** Creates the describer for a filelog `pluginConfig`; `describe` is the parser's (line-parser.ts). */
export function createRangeDescriber(pluginConfig: Readonly<Record<string, string>>, options: LineParserOptions, describe: LineDescriber): RangeDescriber {
  let lastFast = false;
  const slow = (text: string, start: number, end: number): ReturnType<LineDescriber> => {
    lastFast = false;
    return describe(text.slice(start, end));
  };
  const none = { describe: slow, sameRun: () => 0 };
  const fixed = /^\^\.\{(\d+)\}$/.exec(pluginConfig.timestamp ?? '');
  const head = messageHead(pluginConfig.message ?? '');
  const parseTime = compileGoTimeLayout(pluginConfig.timestampFormat ?? '');
  if (!fixed || head === undefined || !parseTime) return none;
  const compiled = compileRe2(head);
  // A head that can match `\n` (NPD's `kernel: \[\s*…`) may run past the line's end in `text`; such a
  // match ends at or after `end` and goes to the parser, and one that ends inside the line is the
  // parser's own (no assertion here looks past the line: no `$`, `\b` or lookbehind).
  if (compiled.anchorsStart || /\\[bB]|\(\?<|\$/.test(compiled.source)) return none;
  // Sticky at the line's start; the lazy prefix tries each start within the line, as a search would.
  const sticky = new RegExp(`[^\\n]*?(?:${compiled.source})`, 'y');
  const n = Number(fixed[1]);
  const now = options.now ?? (() => options.nowMs);
  const timeOptions = { nowMs: 0, timeZone: options.timeZone };
  const described = { timeMs: 0, empty: false };
  let lastTs = '';
  let lastNow = Number.NaN;
  let lastTime = 0;
  // The message check of a line whose timestamp text is `lastTs`: its head matches and a printable
  // character follows (so the trimmed message is not empty).
  const messageAt = (text: string, start: number, end: number): boolean => {
    sticky.lastIndex = start;
    if (!sticky.test(text)) return false;
    const at = sticky.lastIndex;
    return at < end && isPrintable(text.charCodeAt(at));
  };
  // Not a plain line ending in `\n`, or too long for the backtracking JIT.
  const plain = (text: string, start: number, end: number): boolean => end - start >= n && end - start <= jitMaxChars && text.charCodeAt(end) === 10;
  return {
    describe(text, start, end) {
      if (!plain(text, start, end)) return slow(text, start, end);
      const nowMs = now();
      if (nowMs !== lastNow || !text.startsWith(lastTs, start)) {
        // A copy, not a slice of `text`: `startsWith` compares a flat string 2× faster (measured),
        // and the 64 KiB text is not kept alive by it.
        const ts = text.slice(start, start + n).split('').join('');
        timeOptions.nowMs = nowMs;
        const time = parseTime(ts, timeOptions);
        if (time === undefined) return slow(text, start, end);
        [lastTs, lastNow, lastTime] = [ts, nowMs, time];
      }
      if (!messageAt(text, start, end)) return slow(text, start, end);
      lastFast = true;
      described.timeMs = lastTime;
      described.empty = false;
      return described;
    },
    sameRun({ text, count, bounds }, from, hit) {
      if (!lastFast || now() !== lastNow) return 0;
      let i = from;
      for (; i < count; i++) {
        const s = bounds[2 * i] as number;
        const e = bounds[2 * i + 1] as number;
        if ((hit >= 0 && hit < e) || !plain(text, s, e) || !text.startsWith(lastTs, s) || !messageAt(text, s, e)) break;
      }
      return i - from;
    },
  };
}
