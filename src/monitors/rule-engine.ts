/**
 * The pure part of a log monitor: lines in, events and condition changes out, with no source and
 * no timers, so `npd replay` and tests drive it directly. Transitions go through `transition()` in
 * problem.ts; our extensions are the `recovery` rule, a condition's `expireAfter`, and counting
 * rules (`count` within a `window`, less `revertPattern` matches; see rule-counter.ts).
 */
import { defaultCondition, transition } from '../core/problem.js';
import type { Condition, Event } from '../core/problem.js';
import type { LogLine } from '../sources/log-source.js';
import type { ConditionConfig, LogMonitorConfig, LogRuleConfig } from '../config/monitor-config.js';
import { formatDuration } from '../core/clock.js';
import { createRuleCounter } from './rule-counter.js';
import type { RuleCounter } from './rule-counter.js';
import { createRuleMatcher } from './rule-matcher.js';
import type { RuleMatch } from './rule-matcher.js';

/** What one line (or one expiry check) did. */
export interface RuleEngineResult {
  /** Temporary-rule events and condition-change events, in order. */
  readonly events: readonly Event[];
  /** The full current condition list (after this line). */
  readonly conditions: readonly Condition[];
  /** Whether any condition changed. */
  readonly changed: boolean;
  /** The rules the line fired (empty for expiry checks and skipped lines; a counting rule below its count has not fired). */
  readonly matches: readonly RuleMatch[];
  /** The line was dropped by `skipList` before matching. */
  readonly skipped: boolean;
}

/** Options of {@link createRuleEngine}. */
export interface RuleEngineOptions {
  /** Current time in ms since the epoch: initial transition times and `expireAfter`. */
  readonly now: () => number;
  /**
   * Start from these conditions (by type) instead of all False, e.g. what the Node shows, so a
   * restart does not flip True conditions to False (NPD issues #304, #645).
   */
  readonly initialConditions?: readonly Condition[];
}

/** A log monitor's rules and conditions over a stream of lines. */
export interface RuleEngine {
  push(line: LogLine): RuleEngineResult;
  /** Returns True conditions whose `expireAfter` has passed, or whose count fell below its threshold, to False. */
  expire(): RuleEngineResult;
  conditions(): readonly Condition[];
  /** When the next expiry falls due (ms since the epoch), or undefined if none is pending. */
  nextExpiryMs(): number | undefined;
  /**
   * Substrings one of which every line that can do something here contains (match a rule, or be
   * skipped by `skipList`, which counts): a line without any leaves the engine as it was. Undefined
   * when any line may count (see `RuleMatcher.literals`).
   */
  readonly literals: readonly string[] | undefined;
  /** Lines before each line with a literal that must be pushed too (`RuleMatcher.context`). */
  readonly context: number;
  /** Which lines with a literal need their context (`RuleMatcher.needsContext`; see `LineInterest.contextTests`). */
  readonly contextTests: readonly ((message: string) => boolean)[];
}

/** The event/condition message of a match: its lines joined by `\n`, then `; suffix` (NPD's). */
export function matchMessage(match: RuleMatch): string {
  const text = match.lines.map((l) => l.message).join('\n');
  const suffix = match.rule.patternGeneratedMessageSuffix;
  return suffix ? `${text}; ${suffix}` : text;
}

/** Creates the engine for one validated log monitor. */
export function createRuleEngine(config: LogMonitorConfig, options: RuleEngineOptions): RuleEngine {
  const { now } = options;
  // Counting rules: one counter each; their revert patterns join the matcher as extra rules.
  const counters = new Map<LogRuleConfig, RuleCounter>();
  /** Each revert pattern, as a rule of its own, to the counting rule it belongs to. */
  const reverts = new Map<LogRuleConfig, LogRuleConfig>();
  for (const rule of config.rules) {
    if (!rule.count) continue;
    const counter = createRuleCounter(rule.count.windowMs);
    counters.set(rule, counter);
    const { revertPattern } = rule.count;
    if (revertPattern !== undefined) reverts.set({ type: 'temporary', condition: undefined, reason: rule.reason, pattern: revertPattern, patternGeneratedMessageSuffix: undefined }, rule);
  }
  const matcher = createRuleMatcher([...config.rules, ...reverts.keys()], config.bufferSize);
  const defs = new Map<string, ConditionConfig>(config.conditions.map((c) => [c.type, c]));
  const startTime = new Date(now());
  const current: Condition[] = config.conditions.map((def) => options.initialConditions?.find((c) => c.type === def.type) ?? defaultCondition(def, startTime));
  /**
   * True conditions that return to False on their own, with the reason they were set with: at
   * `expireAtMs` (`expireAfter` after the last rule set it) or `countAtMs` (a counting rule's count
   * falls below its threshold), whichever comes first.
   */
  const due = new Map<string, { reason: string; expireAtMs?: number; countAtMs?: number }>();
  const dueAt = (d: { expireAtMs?: number; countAtMs?: number }): number => Math.min(d.expireAtMs ?? Infinity, d.countAtMs ?? Infinity);
  for (const c of current) {
    if (c.status !== 'True') continue;
    const ms = (defs.get(c.type) as ConditionConfig).expireAfterMs;
    // A count carried over a restart is gone: the condition clears after one quiet window.
    const counting = config.rules.find((r) => r.type === 'permanent' && r.count && r.condition === c.type && r.reason === c.reason);
    const d = { reason: c.reason, expireAtMs: ms === undefined ? undefined : c.transition.getTime() + ms, countAtMs: counting?.count ? now() + counting.count.windowMs : undefined };
    if (dueAt(d) !== Infinity) due.set(c.type, d);
  }

  // One copy per change, shared by the results until the next change (most lines change nothing).
  let snap: readonly Condition[] | undefined;
  let quiet: RuleEngineResult | undefined;
  const { skipList } = config;
  const snapshot = (): readonly Condition[] => (snap ??= Object.freeze([...current]));
  const apply = (type: string, status: 'True' | 'False', reason: string, message: string, time: Date, events: Event[]): boolean => {
    // Every type here is declared: a rule's condition is checked by the loader, an expiry's was set by one.
    const i = current.findIndex((c) => c.type === type);
    const r = transition(current[i] as Condition, defs.get(type) as ConditionConfig, { status, reason, message, time });
    current[i] = r.condition;
    snap = undefined;
    if (r.event) events.push(r.event);
    return r.event !== undefined;
  };

  const clear = (type: string, def: ConditionConfig, time: Date, events: Event[]): boolean => {
    due.delete(type);
    return apply(type, 'False', def.reason, def.message, time, events);
  };
  const expire = (): RuleEngineResult => {
    const events: Event[] = [];
    let changed = false;
    const t = now();
    for (const [type, d] of due) {
      const def = defs.get(type);
      if (!def || t < dueAt(d)) continue;
      // A due entry always has the condition's current reason: a rule setting it True with another reason replaces the entry.
      changed = clear(type, def, new Date(t), events) || changed;
    }
    return { events, conditions: snapshot(), changed, matches: [], skipped: false };
  };
  /** The count each firing counting match reached, for its message. */
  const countOf = new WeakMap<RuleMatch, number>();
  /** Counts the counting rules' and revert patterns' matches; keeps the matches that fire. */
  const countMatches = (matches: readonly RuleMatch[]): RuleMatch[] => {
    const fired: RuleMatch[] = [];
    for (const m of matches) {
      const timeMs = (m.lines[m.lines.length - 1] as LogLine).time.getTime();
      const owner = reverts.get(m.rule) ?? m.rule;
      const counter = counters.get(owner);
      if (!counter || !owner.count) {
        fired.push(m);
        continue;
      }
      if (owner !== m.rule) {
        // A revert: one fewer; a condition the count set clears once it is below the threshold.
        counter.add(timeMs, -1);
        const d = owner.condition === undefined ? undefined : due.get(owner.condition);
        if (d && d.reason === owner.reason) d.countAtMs = counter.belowAt(owner.count.threshold, timeMs);
        continue;
      }
      const n = counter.add(timeMs, 1);
      if (n >= owner.count.threshold) {
        countOf.set(m, n);
        fired.push(m);
      }
    }
    return fired;
  };

  return {
    literals: matcher.literals === undefined || skipList.includes('') ? undefined : [...matcher.literals, ...skipList],
    context: matcher.context,
    contextTests: [matcher.needsContext],
    push(line) {
      if (skipList.some((s) => line.message.includes(s))) {
        return { events: [], conditions: snapshot(), changed: false, matches: [], skipped: true };
      }
      let matches = matcher.push(line);
      if (matches.length > 0 && counters.size > 0) matches = countMatches(matches);
      if (matches.length === 0) {
        // Most lines: one frozen result per condition snapshot.
        const conditions = snapshot();
        if (quiet?.conditions !== conditions) quiet = Object.freeze({ events: Object.freeze([]), conditions, changed: false, matches, skipped: false });
        return quiet;
      }
      const events: Event[] = [];
      let changed = false;
      for (const m of matches) {
        const time = (m.lines[0] as LogLine).time;
        const { rule } = m;
        const n = countOf.get(m);
        const message = n === undefined || !rule.count ? matchMessage(m) : `${matchMessage(m)} (${n} times in ${formatDuration(rule.count.windowMs)}, threshold ${rule.count.threshold})`;
        if (rule.type === 'temporary') {
          events.push({ severity: 'warn', time, reason: rule.reason, message });
        } else if (rule.condition !== undefined) {
          const def = defs.get(rule.condition);
          if (!def) continue;
          if (rule.type === 'permanent') {
            changed = apply(rule.condition, 'True', rule.reason, message, time, events) || changed;
            const counter = counters.get(rule);
            const d = {
              reason: rule.reason,
              expireAtMs: def.expireAfterMs === undefined ? undefined : now() + def.expireAfterMs,
              countAtMs: counter && rule.count ? counter.belowAt(rule.count.threshold, time.getTime()) : undefined,
            };
            if (dueAt(d) === Infinity) due.delete(rule.condition);
            else due.set(rule.condition, d);
          } else {
            changed = clear(rule.condition, def, time, events) || changed;
          }
        }
      }
      return { events, conditions: snapshot(), changed, matches, skipped: false };
    },
    expire,
    conditions: snapshot,
    nextExpiryMs() {
      let next = Infinity;
      for (const d of due.values()) next = Math.min(next, dueAt(d));
      return next === Infinity ? undefined : next;
    },
  };
}
