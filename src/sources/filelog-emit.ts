/**
 * The filelog source's lines → batch step: each line of a decoded read is parsed and filtered
 * (line-filter.ts), and with a prefilter (line-prefilter.ts) only the lines that hold one of the
 * consumer's literals are: the others are described (time, empty message) and counted, and handed
 * on only as context (the last `context` lines before a line with a literal, and the last
 * `context` lines of every batch, so a window never misses a line at a batch's start).
 */
import type { RangeDescriber } from './line-describe.js';
import type { LineParser } from './line-parser.js';
import type { BatchLineFilter } from './line-filter.js';
import { createOmittedRuns, createPrefilterCache } from './line-prefilter.js';
import type { LineRanges } from './line-splitter.js';
import type { LineInterest, LogLine } from './log-source.js';

/**
 * Creates the step. Returns the batch of a read: undefined when no line passed and none was left
 * out, an empty array when lines were left out (so the consumer learns they were read). `numbered`
 * is told the index (in its `LineRanges`) of each line put in the batch, in order (`npd replay`
 * numbers the lines it reports).
 */
export function createLineEmitter(
  parse: LineParser,
  describe: RangeDescriber,
  filter: BatchLineFilter,
  interest: LineInterest | undefined,
  numbered?: (index: number) => void,
): (lines: LineRanges) => readonly LogLine[] | undefined {
  const prefilter = createPrefilterCache(interest);
  // Left out and counted by the consumer (a hub, per monitor), or counted as read by the filter.
  const omitted = createOmittedRuns(interest);
  const counted = omitted.counted;
  const omit = omitted.add;
  // Lines passed and held back as context (start, end, time, index each): handed on before the next
  // line with a literal, left out once older. Emptied at the end of each batch.
  let held = new Float64Array(0);
  let heldHead = 0;
  let heldCount = 0;
  const hold = (start: number, end: number, timeMs: number, index: number, context: number): void => {
    if (context === 0) return omit(timeMs, 1);
    if (held.length !== 4 * context) [held, heldHead, heldCount] = [new Float64Array(4 * context), 0, 0];
    const slot = 4 * ((heldHead + heldCount) % context);
    if (heldCount === context) {
      omit(held[slot + 2] as number);
      heldHead = (heldHead + 1) % context;
    } else heldCount++;
    held[slot] = start;
    held[slot + 1] = end;
    held[slot + 2] = timeMs;
    held[slot + 3] = index;
  };
  // Lines `first`, …, `first + n - 1` of `bounds`, passed alike (time `timeMs`): only the last
  // `context` can be handed on; the ones before, and the held lines they push out, are left out.
  const holdRun = (bounds: Int32Array, first: number, n: number, timeMs: number, context: number): void => {
    if (n > context && heldCount > 0) {
      const ring = held.length / 4;
      for (let j = 0; j < heldCount; j++) omit(held[4 * ((heldHead + j) % ring) + 2] as number, 1);
      heldCount = 0;
    }
    const keep = Math.min(n, context);
    omit(timeMs, n - keep);
    for (let i = first + n - keep; i < first + n; i++) hold(bounds[2 * i] as number, bounds[2 * i + 1] as number, timeMs, i, context);
  };
  const handHeld = (text: string, out: LogLine[]): void => {
    const context = held.length / 4;
    for (let j = 0; j < heldCount; j++) {
      const slot = 4 * ((heldHead + j) % context);
      const line = parse(text.slice(held[slot] as number, held[slot + 1] as number));
      if (!line) continue;
      numbered?.(held[slot + 3] as number);
      out.push(line);
    }
    if (!counted) filter.countRead(heldCount);
    heldCount = 0;
  };

  return (lines) => {
    const { text, count, bounds } = lines;
    const out: LogLine[] = [];
    const pre = prefilter();
    const next = pre?.filter.search(text);
    let hit = next ? next(0) : 0;
    for (let i = 0; i < count; i++) {
      const s = bounds[2 * i] as number;
      const e = bounds[2 * i + 1] as number;
      if (next && pre) {
        while (hit >= 0 && hit < s) hit = next(s);
        if (hit < 0 || hit >= e) {
          const d = describe.describe(text, s, e);
          // The lines after it that describe alike, up to the next line with a literal.
          const n = 1 + describe.sameRun(lines, i + 1, hit);
          if (filter.passDescribed(d, counted, n)) holdRun(bounds, i, n, (d as { timeMs: number }).timeMs, pre.context);
          i += n - 1;
          continue;
        }
        hit = next(e);
        handHeld(text, out);
      }
      const line = filter.pass(parse(text.slice(s, e)));
      if (!line) continue;
      numbered?.(i);
      out.push(line);
    }
    handHeld(text, out);
    filter.flush();
    omitted.flush();
    return out.length > 0 || (pre && count > 0) ? out : undefined;
  };
}
