/**
 * The filelog source's lines → batch step: each line of a decoded read is parsed and filtered
 * (line-filter.ts), and with a prefilter (line-prefilter.ts) only the lines that hold one of the
 * consumer's literals are: the others are described (time, empty message) and counted, and handed
 * on only as context (the last `context` lines before a line with a literal that needs them, and
 * the last `context` lines of every batch, so a window never misses a line at a batch's start).
 */
import type { RangeDescriber } from './line-describe.js';
import type { LineParser } from './line-parser.js';
import type { BatchLineFilter } from './line-filter.js';
import { createOmittedRuns, createPrefilterCache, needsContext } from './line-prefilter.js';
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
  // Lines held back, oldest first (start, end, time, index each, in a ring): lines without a literal
  // (the last `context` of them at most: handed on before a line with a literal that needs them,
  // else left out once older) and, after them, lines with a literal that did not need them (parsed,
  // in `parsed`; handed on in order). Emptied at the end of each batch.
  let held = new Float64Array(4 * 16);
  let parsed = new Array<LogLine | undefined>(16);
  let [head, size, plain] = [0, 0, 0];
  let text = '';
  let out: LogLine[] = [];
  const slot = (j: number): number => (head + j) % parsed.length;
  /** Takes the oldest held line: handed on when `hand` or it has a literal, else left out. */
  const take = (hand: boolean): void => {
    const k = slot(0);
    const line = parsed[k];
    const index = held[4 * k + 3] as number;
    [head, size] = [(head + 1) % parsed.length, size - 1];
    if (line) {
      parsed[k] = undefined;
      numbered?.(index);
      out.push(line);
      return;
    }
    plain--;
    if (!hand) return omit(held[4 * k + 2] as number);
    const l = parse(text.slice(held[4 * k] as number, held[4 * k + 1] as number));
    if (!counted) filter.countRead(1);
    if (!l) return;
    numbered?.(index);
    out.push(l);
  };
  const handAll = (): void => {
    while (size > 0) take(true);
  };
  const hold = (start: number, end: number, timeMs: number, index: number, context: number, line?: LogLine): void => {
    if (size === parsed.length) {
      const [h, p] = [new Float64Array(8 * size), new Array<LogLine | undefined>(2 * size)];
      for (let j = 0; j < size; j++) {
        h.set(held.subarray(4 * slot(j), 4 * slot(j) + 4), 4 * j);
        p[j] = parsed[slot(j)];
      }
      [held, parsed, head] = [h, p, 0];
    }
    const k = slot(size);
    [held[4 * k], held[4 * k + 1], held[4 * k + 2], held[4 * k + 3], parsed[k]] = [start, end, timeMs, index, line];
    size++;
    if (!line) plain++;
    // Past `context` lines without a literal, the oldest goes, with the lines with a literal before it.
    while (plain > context) take(false);
    // Nothing older holds back a line with a literal at the front.
    while (size > 0 && parsed[slot(0)]) take(true);
  };
  // Lines `first`, …, `first + n - 1` of `bounds`, passed alike (time `timeMs`): only the last
  // `context` can be handed on; the ones before, and the held lines they push out, are left out.
  const holdRun = (bounds: Int32Array, first: number, n: number, timeMs: number, context: number): void => {
    if (n > context) while (size > 0) take(false);
    const keep = Math.min(n, context);
    omit(timeMs, n - keep);
    for (let i = first + n - keep; i < first + n; i++) hold(bounds[2 * i] as number, bounds[2 * i + 1] as number, timeMs, i, context);
  };

  return (lines) => {
    const { count, bounds } = lines;
    text = lines.text;
    out = [];
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
      }
      const line = filter.pass(parse(text.slice(s, e)));
      if (!line) continue;
      // A line that cannot complete a match starting before it waits behind the held lines.
      if (pre && pre.context > 0 && !needsContext(pre.tests, line.message)) {
        hold(s, e, 0, i, pre.context, line);
        continue;
      }
      handAll();
      numbered?.(i);
      out.push(line);
    }
    handAll();
    filter.flush();
    omitted.flush();
    const batch = out;
    [out, text] = [[], ''];
    return batch.length > 0 || (pre && count > 0) ? batch : undefined;
  };
}
