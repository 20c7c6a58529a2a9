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

/** {@link LineDescriber} of the line at `[start, end)` of `text`. */
export type RangeDescriber = (text: string, start: number, end: number) => ReturnType<LineDescriber>;

const isPrintable = (c: number): boolean => c > 32 && c < 127;

/** Creates the describer for a filelog `pluginConfig`; `describe` is the parser's (line-parser.ts). */
export function createRangeDescriber(pluginConfig: Readonly<Record<string, string>>, options: LineParserOptions, describe: LineDescriber): RangeDescriber {
  const slow: RangeDescriber = (text, start, end) => describe(text.slice(start, end));
  const fixed = /^\^\.\{(\d+)\}$/.exec(pluginConfig.timestamp ?? '');
  const head = messageHead(pluginConfig.message ?? '');
  const parseTime = compileGoTimeLayout(pluginConfig.timestampFormat ?? '');
  if (!fixed || head === undefined || !parseTime) return slow;
  const compiled = compileRe2(head);
  if (compiled.canSpanLines || compiled.anchorsStart || /\\[bB]|\(\?<|\$/.test(compiled.source)) return slow;
  // Sticky at the line's start; the lazy prefix tries each start within the line, as a search would.
  const sticky = new RegExp(`[^\\n]*?(?:${compiled.source})`, 'y');
  const n = Number(fixed[1]);
  const now = options.now ?? (() => options.nowMs);
  const timeOptions = { nowMs: 0, timeZone: options.timeZone };
  const described = { timeMs: 0, empty: false };
  let lastTs = '';
  let lastNow = Number.NaN;
  let lastTime = 0;
  return (text, start, end) => {
    // Not a plain line ending in `\n`, or too long for the backtracking JIT.
    if (end - start < n || end - start > jitMaxChars || text.charCodeAt(end) !== 10) return slow(text, start, end);
    const nowMs = now();
    if (nowMs !== lastNow || !text.startsWith(lastTs, start)) {
      const ts = text.slice(start, start + n);
      timeOptions.nowMs = nowMs;
      const time = parseTime(ts, timeOptions);
      if (time === undefined) return slow(text, start, end);
      [lastTs, lastNow, lastTime] = [ts, nowMs, time];
    }
    sticky.lastIndex = start;
    if (!sticky.test(text)) return slow(text, start, end);
    const at = sticky.lastIndex;
    if (at >= end || !isPrintable(text.charCodeAt(at))) return slow(text, start, end);
    described.timeMs = lastTime;
    described.empty = false;
    return described;
  };
}
