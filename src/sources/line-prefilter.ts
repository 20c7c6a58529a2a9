/**
 * The prefilter of a source's lines (docs/architecture.md, "Prefilter"): its consumers name
 * substrings (the required literals of their rules, see `RuleEngine.literals`), and a line whose
 * text contains none of them is needed by no consumer. The source then still counts it, and checks
 * its time (the lookback), but builds no {@link LogLine} for it and hands it to nobody: in a
 * backlog, 99 % of the lines. A consumer that needs every line says so (`undefined`), and then no
 * line is left out. The search runs over the decoded text of a whole read (one `indexOf` per
 * literal, each a memchr/Boyer–Moore scan), not line by line.
 */
import type { LineInterest } from './log-source.js';

/** What several consumers need together (see {@link LineInterest}). */
export interface LineNeeds {
  readonly literals: readonly string[] | undefined;
  readonly context: number;
  /** Absent: every line with a literal needs its context. */
  readonly contextTests?: readonly ContextTest[];
}

type ContextTest = (message: string) => boolean;
type Needs = Pick<LineInterest, 'literals' | 'context' | 'contextTests'>;

/**
 * The needs of several consumers together: a line needed by one of them contains one of these
 * literals, undefined (every line) when any consumer needs every line or names an empty substring;
 * the most context any asks for, for the lines any of their tests picks (every line with a literal
 * when a consumer with context has no tests). A substring with a newline stands for its parts (a
 * line holds no newline).
 */
export function unionNeeds(all: Iterable<Needs | undefined>): LineNeeds {
  const out = new Set<string>();
  let context = 0;
  let every = false;
  let tests: Set<ContextTest> | undefined = new Set();
  for (const interest of all) {
    context = Math.max(context, interest?.context ?? 0);
    if ((interest?.context ?? 0) > 0) {
      if (interest?.contextTests === undefined) tests = undefined;
      else for (const t of interest.contextTests) tests?.add(t);
    }
    if (every || interest?.literals === undefined) {
      every = true;
      continue;
    }
    for (const l of interest.literals) {
      const parts = l.split('\n').filter((p) => p !== '');
      if (parts.length === 0) every = true;
      for (const p of parts) out.add(p);
    }
  }
  return { literals: every ? undefined : [...out], context, ...(tests && context > 0 ? { contextTests: [...tests] } : {}) };
}

/** Whether what `given` asks a source for holds every line `needs` asks for. */
export function coversNeeds(given: LineNeeds, needs: Needs): boolean {
  if (given.literals === undefined) return true;
  if (needs.literals === undefined || (needs.context ?? 0) > given.context) return false;
  const tests = given.contextTests;
  if ((needs.context ?? 0) > 0 && tests !== undefined && !(needs.contextTests?.every((t) => tests.includes(t)) ?? false)) return false;
  const have = given.literals;
  return needs.literals.every((l) => l.split('\n').every((p) => p === '' || have.includes(p)));
}

/** Whether a line with `message` needs its context, by `tests` (see {@link LineNeeds}). */
export const needsContext = (tests: readonly ContextTest[] | undefined, message: string): boolean => tests === undefined || tests.some((t) => t(message));

/** Finds where the literals of an interest occur in a text. */
export interface LinePrefilter {
  /** The literals searched for. */
  readonly literals: readonly string[];
  /**
   * A search over `text`: `next(from)` is the first position at or after `from` where one of the
   * literals starts, or -1. Positions asked for must not go down.
   */
  search(text: string): (from: number) => number;
}

/** Creates the prefilter of `literals` (an empty list: no line is needed). */
export function createLinePrefilter(literals: readonly string[]): LinePrefilter {
  const n = literals.length;
  return {
    literals,
    search(text) {
      // Where each literal occurs next (at or after the last `from`); -1 once it occurs no more.
      const at = new Array<number>(n).fill(-2);
      return (from) => {
        let best = -1;
        for (let k = 0; k < n; k++) {
          let p = at[k] as number;
          if (p === -1) continue;
          if (p < from) at[k] = p = text.indexOf(literals[k] as string, from);
          if (p >= 0 && (best < 0 || p < best)) best = p;
        }
        return best;
      };
    },
  };
}

/**
 * The prefilter an interest asks for now, its context and which lines need it (undefined: every line
 * is needed), rebuilt only when its literals change.
 */
export function createPrefilterCache(interest: LineInterest | undefined): () => { readonly filter: LinePrefilter; readonly context: number; readonly tests: readonly ContextTest[] | undefined } | undefined {
  let last: readonly string[] | undefined;
  let filter: LinePrefilter | undefined;
  return () => {
    // `literals` first: a hub's interest notes what it handed out when it is read.
    const literals = interest?.literals;
    if (literals === undefined) return undefined;
    if (literals !== last || !filter) {
      last = literals;
      filter = createLinePrefilter(literals);
    }
    return { filter, context: Math.max(0, Math.floor(interest?.context ?? 0)), tests: interest?.contextTests };
  };
}

/**
 * The lines a step leaves out, reported to the consumer's `omitted` in runs of equal time (one call
 * per run, not per line). Without `omitted` the consumer counts nothing itself: `counted` is true and
 * the filter counts the lines as read.
 */
export interface OmittedRuns {
  readonly counted: boolean;
  /** Notes `n` (default 1) left-out lines of time `timeMs`. */
  add(timeMs: number, n?: number): void;
  /** Reports the open run; returns whether any line was left out since the last flush. */
  flush(): boolean;
}

/** Creates the runs of an interest (see {@link OmittedRuns}). */
export function createOmittedRuns(interest: LineInterest | undefined): OmittedRuns {
  const counted = interest?.omitted === undefined;
  let time = Number.NaN;
  let count = 0;
  let any = false;
  return {
    counted,
    add(timeMs, n = 1) {
      if (counted || n <= 0) return;
      any = true;
      if (timeMs !== time) {
        if (count > 0) interest?.omitted?.(time, count);
        [time, count] = [timeMs, 0];
      }
      count += n;
    },
    flush() {
      if (count > 0) interest?.omitted?.(time, count);
      [time, count] = [Number.NaN, 0];
      const was = any;
      any = false;
      return was;
    },
  };
}
