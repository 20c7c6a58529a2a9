/**
 * The pure part of a log monitor: lines in, events and condition changes out, with no source and
 * no timers, so `npd replay` and tests drive it directly. Transitions go through `transition()` in
 * problem.ts; our extensions are the `recovery` rule and a condition's `expireAfter`.
 */
import { defaultCondition, transition } from '../problem.js';
import type { Condition, Event } from '../problem.js';
import type { LogLine } from '../sources/log-source.js';
import type { ConditionConfig, LogMonitorConfig } from '../config/monitor-config.js';
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
  /** The rules the line completed (empty for expiry checks and skipped lines). */
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
  /** Returns True conditions whose `expireAfter` has passed to False. */
  expire(): RuleEngineResult;
  conditions(): readonly Condition[];
  /** When the next expiry falls due (ms since the epoch), or undefined if none is pending. */
  nextExpiryMs(): number | undefined;
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
  const matcher = createRuleMatcher(config.rules, config.bufferSize);
  const defs = new Map<string, ConditionConfig>(config.conditions.map((c) => [c.type, c]));
  const startTime = new Date(now());
  const current: Condition[] = config.conditions.map((def) => options.initialConditions?.find((c) => c.type === def.type) ?? defaultCondition(def, startTime));
  /** When a rule last set each True condition (ms), for expiry. */
  const lastSet = new Map<string, number>();
  for (const c of current) if (c.status === 'True') lastSet.set(c.type, c.transition.getTime());

  // One copy per change, shared by the results until the next change (most lines change nothing).
  let snap: readonly Condition[] | undefined;
  let quiet: RuleEngineResult | undefined;
  const { skipList } = config;
  const snapshot = (): readonly Condition[] => (snap ??= Object.freeze([...current]));
  const apply = (type: string, status: 'True' | 'False', reason: string, message: string, time: Date, events: Event[]): boolean => {
    const i = current.findIndex((c) => c.type === type);
    const def = defs.get(type);
    if (i < 0 || !def) return false;
    const r = transition(current[i] as Condition, def, { status, reason, message, time });
    current[i] = r.condition;
    snap = undefined;
    if (r.event) events.push(r.event);
    return r.event !== undefined;
  };

  const expire = (): RuleEngineResult => {
    const events: Event[] = [];
    let changed = false;
    const t = now();
    for (const [type, at] of lastSet) {
      const def = defs.get(type);
      if (def?.expireAfterMs === undefined || t < at + def.expireAfterMs) continue;
      lastSet.delete(type);
      changed = apply(type, 'False', def.reason, def.message, new Date(t), events) || changed;
    }
    return { events, conditions: snapshot(), changed, matches: [], skipped: false };
  };

  return {
    push(line) {
      if (skipList.length > 0 && skipList.some((s) => line.message.includes(s))) {
        return { events: [], conditions: snapshot(), changed: false, matches: [], skipped: true };
      }
      const matches = matcher.push(line);
      if (matches.length === 0) {
        // Most lines: one frozen result per condition snapshot.
        const conditions = snapshot();
        if (quiet?.conditions !== conditions) quiet = Object.freeze({ events: Object.freeze([]), conditions, changed: false, matches, skipped: false });
        return quiet;
      }
      const events: Event[] = [];
      let changed = false;
      for (const m of matches) {
        const message = matchMessage(m);
        const time = (m.lines[0] as LogLine).time;
        const { rule } = m;
        if (rule.type === 'temporary') {
          events.push({ severity: 'warn', time, reason: rule.reason, message });
        } else if (rule.condition !== undefined) {
          const def = defs.get(rule.condition);
          if (!def) continue;
          if (rule.type === 'permanent') {
            changed = apply(rule.condition, 'True', rule.reason, message, time, events) || changed;
            lastSet.set(rule.condition, now());
          } else {
            changed = apply(rule.condition, 'False', def.reason, def.message, time, events) || changed;
            lastSet.delete(rule.condition);
          }
        }
      }
      return { events, conditions: snapshot(), changed, matches, skipped: false };
    },
    expire,
    conditions: snapshot,
    nextExpiryMs() {
      let next: number | undefined;
      for (const [type, at] of lastSet) {
        const ms = defs.get(type)?.expireAfterMs;
        if (ms !== undefined && (next === undefined || at + ms < next)) next = at + ms;
      }
      return next;
    },
  };
}
