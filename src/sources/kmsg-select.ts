/**
 * The kmsg source's records → batch step with a consumer's interest (line-prefilter.ts, as
 * filelog-emit.ts does for files): a record whose message holds none of the literals is only
 * described (its time, whether its message is empty), filtered and counted, and no line is built
 * for it; it is handed on only as context (the last `context` records before one with a literal
 * that needs them, and the last `context` of every batch). The search runs over the record's raw message: it holds
 * the line's message (which is that text trimmed) whenever the record has no `\xHH` escape, and a
 * record with one is always handed on.
 */
import type { BatchLineFilter } from './line-filter.js';
import { createOmittedRuns, createPrefilterCache, needsContext } from './line-prefilter.js';
import type { LineInterest, LogLine } from './log-source.js';
import { kmsgLine, kmsgTimeMs, type KmsgHead } from './kmsg-parser.js';

/** The step for one reader (see the module comment). */
export interface KmsgSelector {
  /** A read begins: the interest's literals are read now. */
  begin(): void;
  /** A record that parsed and has not been seen: its line, and any held before it, go to `out`. */
  take(text: string, head: KmsgHead, out: LogLine[]): void;
  /** The read ends: held records go to `out`, left-out ones are reported; whether any was (the batch must reach the consumer, empty or not). */
  end(out: LogLine[]): boolean;
}

/** The kernel's escape (`\xHH`): a message that has one is decoded before a rule sees it. */
const ESCAPE = ['\\x'];
const isPrintable = (c: number): boolean => c > 32 && c < 127;

/** Whether `text[from, to)` is empty once trimmed, as the line's message would be. */
const blank = (text: string, from: number, to: number): boolean => from >= to || (!isPrintable(text.charCodeAt(from)) && text.slice(from, to).trim() === '');

/** Whether the raw message `text[from, to)` holds one of `literals`. */
function holdsOne(text: string, from: number, to: number, literals: readonly string[]): boolean {
  for (const l of literals) {
    const at = text.indexOf(l, from);
    if (at >= 0 && at + l.length <= to) return true;
  }
  return false;
}

/** Creates the step; without an interest (or while it needs every line) every record's line is built. */
export function createKmsgSelector(filter: BatchLineFilter, interest: LineInterest | undefined, bootTimeMs: number): KmsgSelector {
  const prefilter = createPrefilterCache(interest);
  // Left out and counted by the consumer (a hub, per monitor), or counted as read by the filter.
  const omitted = createOmittedRuns(interest);
  const counted = omitted.counted;
  const omit = omitted.add;
  let pre: ReturnType<typeof prefilter>;
  // Records held back, oldest first: passed records without a literal (the last `context` of them at
  // most: handed on before a record with a literal that needs them, else left out once older) and,
  // after them, lines with a literal that did not need them (handed on in order).
  const held: ({ text: string; head: KmsgHead; timeMs: number } | LogLine)[] = [];
  let plain = 0;
  const take = (hand: boolean, out: LogLine[]): void => {
    const h = held.shift() as (typeof held)[number];
    if ('message' in h) return void out.push(h);
    plain--;
    if (!hand) return omit(h.timeMs);
    out.push(kmsgLine(h.text, h.head, bootTimeMs));
    if (!counted) filter.countRead(1);
  };
  const hold = (h: (typeof held)[number], context: number, out: LogLine[]): void => {
    held.push(h);
    if (!('message' in h)) plain++;
    while (plain > context) take(false, out);
    while (held.length > 0 && 'message' in (held[0] as (typeof held)[number])) take(true, out);
  };
  const handHeld = (out: LogLine[]): void => {
    while (held.length > 0) take(true, out);
  };
  return {
    begin() {
      pre = prefilter();
    },
    take(text, head, out) {
      const from = head.semi + 1;
      if (pre && !holdsOne(text, from, head.end, pre.filter.literals) && !holdsOne(text, from, head.end, ESCAPE)) {
        const timeMs = kmsgTimeMs(head, bootTimeMs);
        if (filter.passDescribed({ timeMs, empty: blank(text, from, head.end) }, counted)) hold({ text, head, timeMs }, pre.context, out);
        return;
      }
      const line = filter.pass(kmsgLine(text, head, bootTimeMs));
      if (!line) return;
      // A line that cannot complete a match starting before it waits behind the held records.
      if (pre && pre.context > 0 && !needsContext(pre.tests, line.message)) return hold(line, pre.context, out);
      handHeld(out);
      out.push(line);
    },
    end(out) {
      handHeld(out);
      return omitted.flush();
    },
  };
}
