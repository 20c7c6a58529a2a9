/**
 * Matching of a log monitor's rules against its window of recent lines, with NPD's semantics
 * (log_buffer.go): each pattern must end at the end of the window joined by `\n` (`pattern\z`),
 * so a rule fires only when the newest line completes it, at most once per line.
 *
 * Speed (most lines match nothing): rules that cannot reach over a line break are tested against
 * the newest line alone; every rule has a required literal (its longest) and one combined regex of
 * those literals rejects most lines with a single scan; the window is joined at most once per line,
 * and only when a multi-line rule could match.
 */
import type { LogLine } from '../sources/log-source.js';
import { compileRe2 } from '../config/re2.js';
import type { LogRuleConfig } from '../config/monitor-config.js';

/** A rule that matched the newest line. */
export interface RuleMatch {
  /** Index of the rule in the monitor file's `rules`. */
  readonly ruleIndex: number;
  readonly rule: LogRuleConfig;
  /** The window lines the match covers, oldest first (the newest line is last). */
  readonly lines: readonly LogLine[];
}

interface CompiledRule {
  readonly index: number;
  readonly rule: LogRuleConfig;
  readonly regex: RegExp;
  readonly lastLineOnly: boolean;
  /** A substring every match contains, or undefined when the pattern has none. */
  readonly key: string | undefined;
}

/** A window of the last `bufferSize` lines and the rules matched against it. */
export interface RuleMatcher {
  /** Adds a line to the window and returns the rules it completes, in rule order. */
  push(line: LogLine): RuleMatch[];
}

const escapeLiteral = (s: string): string => s.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');

/** Compiles rules (already validated by the config loader) and creates the window. */
export function createRuleMatcher(rules: readonly LogRuleConfig[], bufferSize: number): RuleMatcher {
  const compiled: CompiledRule[] = rules.map((rule, index) => {
    const c = compileRe2(rule.pattern, { anchorEnd: true });
    const parts = c.literals.flatMap((l) => l.split('\n')).filter((p) => p.length > 0);
    const key = parts.reduce<string | undefined>((best, p) => (best === undefined || p.length > best.length ? p : best), undefined);
    return { index, rule, regex: c.regex, lastLineOnly: !c.canSpanLines && !c.anchorsStart, key };
  });
  const keys = [...new Set(compiled.flatMap((r) => (r.key === undefined ? [] : [r.key])))];
  // One scan answers "could any keyed rule match this line?"; a never-matching regex when no keys.
  const anyKey = keys.length > 0 ? new RegExp(keys.map(escapeLiteral).join('|')) : /[^\s\S]/;
  const unkeyed = compiled.some((r) => r.key === undefined);
  const hasMultiLine = compiled.some((r) => !r.lastLineOnly);

  const size = Math.max(1, bufferSize);
  const window: LogLine[] = [];
  /** Per window line: whether it contains any key (multi-line rules need one somewhere). */
  const keyHits: boolean[] = [];
  let keyHitCount = 0;

  return {
    push(line) {
      const hit = anyKey.test(line.message);
      window.push(line);
      keyHits.push(hit);
      if (hit) keyHitCount++;
      if (window.length > size) {
        window.shift();
        if (keyHits.shift()) keyHitCount--;
      }
      if (!hit && !unkeyed && (!hasMultiLine || keyHitCount === 0)) return [];

      const matches: RuleMatch[] = [];
      let joined: string | undefined;
      let starts: number[] | undefined;
      for (const r of compiled) {
        if (r.lastLineOnly) {
          if (r.key !== undefined && (!hit || !line.message.includes(r.key))) continue;
          if (r.regex.test(line.message)) matches.push({ ruleIndex: r.index, rule: r.rule, lines: [line] });
          continue;
        }
        if (r.key !== undefined && keyHitCount === 0) continue;
        if (joined === undefined || starts === undefined) {
          starts = [];
          let offset = 0;
          for (const l of window) {
            starts.push(offset);
            offset += l.message.length + 1;
          }
          joined = window.map((l) => l.message).join('\n');
        }
        if (r.key !== undefined && !joined.includes(r.key)) continue;
        const m = r.regex.exec(joined);
        if (!m) continue;
        // Walk back from the newest line until the line holding the match start is covered.
        let first = window.length - 1;
        while (first > 0 && (starts[first] as number) > m.index) first--;
        matches.push({ ruleIndex: r.index, rule: r.rule, lines: window.slice(first) });
      }
      return matches;
    },
  };
}
