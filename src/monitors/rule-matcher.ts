/**
 * Matching of a log monitor's rules against its window of recent lines, with NPD's semantics
 * (log_buffer.go): each pattern must end at the end of the window joined by `\n` (`pattern\z`),
 * so a rule fires only when the newest line completes it, at most once per line.
 *
 * Speed (most lines match nothing): rules that cannot reach over a line break are tested against
 * the newest line alone, and so are the others when the newest line cannot be the end of a match
 * that starts before it (it does not match what can follow a newline in one, re2-tail.ts); every
 * rule has a required literal (its longest) and one combined regex of those literals rejects most
 * lines with a single scan; the window is joined at most once per line,
 * and only when a multi-line rule could match.
 *
 * Bounded work per line, whatever the input: the window holds the last `bufferSize` lines but at
 * most {@link maxWindowChars} characters (or the newest line alone when it is longer), a regex sees
 * at most the last {@link maxWindowChars} characters of its text (a match must end at the end, and
 * a problem line is short), and a text longer than `jitMaxChars` runs on V8's linear-time
 * engine, not the backtracking JIT, whose quadratic searches never trigger its fallback
 * (`execPattern`, re2/re2.ts). NPD joins
 * `bufferSize` lines whatever their length: 1,000 lines of 200 K characters made a 200 MB string per
 * line (a 35 s stall, 254 MB RSS, with a catastrophic pattern). bench/multiline-window.ts measures.
 */
import type { LogLine } from '../sources/log-source.js';
import { compileRe2, execPattern, type CompiledPattern } from '../re2/re2.js';
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
  readonly linear: RegExp;
  readonly lastLineOnly: boolean;
  /** A substring every match contains, or undefined when the pattern has none. */
  readonly key: string | undefined;
  /** A substring the newest line of every match contains, or undefined. */
  readonly newestLineKey: string | undefined;
  /** What a newest line completing a match that starts in an earlier line matches (undefined: anything). */
  readonly afterNewline: CompiledPattern['afterNewline'];
}

/** A window of the last `bufferSize` lines and the rules matched against it. */
export interface RuleMatcher {
  /** Adds a line to the window and returns the rules it completes, in rule order. */
  push(line: LogLine): readonly RuleMatch[];
  /** The lines held and their characters (with a `\n` each), which bound a multi-line match. */
  window(): { readonly lines: number; readonly chars: number };
  /**
   * Substrings one of which every line that can complete a match contains (a multi-line rule's
   * match ends in the newest line: the literals after its last possible newline), or undefined when
   * a rule has none (`(?i)`, `.*`). Other lines may be left out (line-prefilter.ts), except the
   * {@link context} lines before each line that has one.
   */
  readonly literals: readonly string[] | undefined;
  /** Lines before a line with a literal that must be pushed too: `bufferSize − 1` when a rule reads the window, else 0. */
  readonly context: number;
  /**
   * Whether the {@link context} lines before a line with this message are needed: it could complete
   * a match that starts in an earlier line (the line matches what can follow a newline in a match of
   * a rule that reads the window, re2-tail.ts; always for a rule anchored at the window's start).
   * When not, a match it completes lies inside it, whatever lines come before it.
   */
  needsContext(message: string): boolean;
}

/**
 * Most characters (UTF-16 units, a `\n` after each line included) the window holds, unless its
 * newest line alone is longer, and most characters a regex is run over (the end of its text):
 * 16 Ki, room for 10 kernel lines of 1,600 characters or a 200-line stack trace.
 */
export const maxWindowChars = 16_384;

/** `regex` or, for a long text, its linear-time twin, on at most the last `cap` characters of `text`. */
function execBounded(r: CompiledRule, text: string, cap: number): RegExpExecArray | null {
  if (text.length <= cap) return execPattern(r, text);
  const cut = text.length - cap;
  const m = execPattern(r, text.slice(cut));
  if (m) m.index += cut;
  return m;
}

/** Options of {@link createRuleMatcher}. */
export interface RuleMatcherOptions {
  /** @default maxWindowChars */
  readonly maxWindowChars?: number;
}

const NO_MATCHES: readonly RuleMatch[] = Object.freeze([]);

/** The longest of some required literals, without leading blanks and punctuation (see {@link trimKey}). */
function keyOf(literals: readonly string[]): string | undefined {
  const parts = literals.flatMap((l) => l.split('\n')).map(trimKey).filter((p) => p.length > 0);
  return parts.reduce<string | undefined>((best, p) => (best === undefined || p.length > best.length ? p : best), undefined);
}

const escapeLiteral = (s: string): string => s.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');

/**
 * A regex source matching any of `words` (as substrings), with common prefixes factored out
 * (`BUG: (?:soft…|kernel…)`), which V8 scans faster than a flat alternation. Where one word is a
 * prefix of others, the longer ones are dropped: for a substring test they add nothing.
 */
export function anyOf(words: readonly string[]): string {
  if (words.includes('')) return '';
  const byFirst = new Map<string, string[]>();
  for (const w of words) {
    const rest = byFirst.get(w.charAt(0));
    if (rest) rest.push(w.slice(1));
    else byFirst.set(w.charAt(0), [w.slice(1)]);
  }
  return [...byFirst]
    .map(([first, rests]) => {
      let prefix = first;
      let group = rests;
      while (group.length > 1 && group.every((w) => w !== '' && w.charAt(0) === (group[0] as string).charAt(0))) {
        prefix += (group[0] as string).charAt(0);
        group = group.map((w) => w.slice(1));
      }
      const tail = group.length === 1 ? escapeLiteral(group[0] as string) : anyOf(group);
      return escapeLiteral(prefix) + (tail === '' || group.length === 1 ? tail : `(?:${tail})`);
    })
    .join('|');
}

/**
 * A required literal without its leading blanks and punctuation (`: neighbor table overflow!` →
 * `neighbor table overflow!`): still required, and the key scan skips ahead on a key's first
 * character, so keys starting with ' ' or ':' (in every log line many times) would slow it for
 * every rule. Measured: 5 such keys among 24 rules cost 50 % more per line.
 */
function trimKey(literal: string): string {
  return literal.replace(/^[\s:;,.=()-]+/, '');
}

/** Compiles rules (already validated by the config loader) and creates the window. */
export function createRuleMatcher(rules: readonly LogRuleConfig[], bufferSize: number, options: RuleMatcherOptions = {}): RuleMatcher {
  const charCap = options.maxWindowChars ?? maxWindowChars;
  const compiled: CompiledRule[] = rules.map((rule, index) => {
    const c = compileRe2(rule.pattern, { anchorEnd: true });
    const lastLineOnly = !c.canSpanLines && !c.anchorsStart;
    const key = keyOf(c.literals);
    const afterNewline = c.anchorsStart ? undefined : c.afterNewline;
    return { index, rule, regex: c.regex, linear: c.linear, lastLineOnly, key, newestLineKey: lastLineOnly ? key : keyOf(c.lastLineLiterals), afterNewline };
  });
  const keys = [...new Set(compiled.flatMap((r) => r.key ?? []))];
  // One scan answers "could any keyed rule match this line?" (no keys: every line, and every rule runs anyway).
  const anyKey = new RegExp(anyOf(keys));
  const unkeyed = compiled.some((r) => r.key === undefined);
  const hasMultiLine = compiled.some((r) => !r.lastLineOnly);
  // A match ends in the newest line: a line without any rule's newest-line key completes none.
  const newestKeys = compiled.every((r) => r.newestLineKey !== undefined) ? [...new Set(compiled.map((r) => r.newestLineKey as string))] : undefined;
  const anyNewestKey = hasMultiLine && newestKeys ? new RegExp(anyOf(newestKeys)) : undefined;
  const spanning = compiled.filter((r) => !r.lastLineOnly).map((r) => r.afterNewline);

  const size = Math.max(1, bufferSize);
  // The window is a ring: slot `head` holds the oldest of `count` lines.
  const ring: LogLine[] = [];
  /** Per slot: whether its line contains any key (multi-line rules need one somewhere). */
  const keyHits = new Uint8Array(size);
  let head = 0;
  let count = 0;
  let keyHitCount = 0;
  /** Characters of the window's lines, a `\n` counted after each. */
  let chars = 0;
  const dropOldest = (): void => {
    keyHitCount -= keyHits[head] as number;
    chars -= (ring[head] as LogLine).message.length + 1;
    ring[head] = undefined as unknown as LogLine; // let the line be collected
    head = head + 1 === size ? 0 : head + 1;
    count--;
  };
  /** The window's lines oldest first, joined by `\n`, with where each starts in the joined text. */
  const joinWindow = (): { lines: LogLine[]; starts: number[]; text: string } => {
    const lines: LogLine[] = [];
    for (let i = 0, slot = head; i < count; i++, slot = slot + 1 === size ? 0 : slot + 1) lines.push(ring[slot] as LogLine);
    const starts: number[] = [];
    let offset = 0;
    for (const l of lines) {
      starts.push(offset);
      offset += l.message.length + 1;
    }
    return { lines, starts, text: lines.map((l) => l.message).join('\n') };
  };

  return {
    literals: newestKeys,
    context: hasMultiLine ? size - 1 : 0,
    window: () => ({ lines: count, chars }),
    needsContext: (message) => spanning.some((tail) => tail === undefined || execPattern(tail, message) !== null),
    push(line) {
      const hit = anyKey.test(line.message);
      if (count === size) dropOldest();
      // Older lines beyond the character cap go; the newest line stays whole however long.
      const cost = line.message.length + 1;
      while (count > 0 && chars + cost > charCap) dropOldest();
      const slot = head + count < size ? head + count : head + count - size;
      count++;
      chars += cost;
      ring[slot] = line;
      keyHits[slot] = hit ? 1 : 0;
      if (hit) keyHitCount++;
      if (!hit && !unkeyed && (!hasMultiLine || keyHitCount === 0)) return NO_MATCHES;
      if (anyNewestKey && !anyNewestKey.test(line.message)) return NO_MATCHES;

      const matches: RuleMatch[] = [];
      let joinedWindow: ReturnType<typeof joinWindow> | undefined; // once per line, when a rule needs it
      for (const r of compiled) {
        if (r.lastLineOnly) {
          if (r.key !== undefined && (!hit || !line.message.includes(r.key))) continue;
          if (execBounded(r, line.message, charCap)) matches.push({ ruleIndex: r.index, rule: r.rule, lines: [line] });
          continue;
        }
        if (r.key !== undefined && keyHitCount === 0) continue;
        if (r.newestLineKey !== undefined && !line.message.includes(r.newestLineKey)) continue;
        if (r.afterNewline !== undefined && execPattern(r.afterNewline, line.message) === null) {
          // No match can start before the newest line (re2-tail.ts): it is the newest line's own, found without the join.
          if (r.key !== undefined && !line.message.includes(r.key)) continue;
          if (execBounded(r, line.message, charCap)) matches.push({ ruleIndex: r.index, rule: r.rule, lines: [line] });
          continue;
        }
        joinedWindow ??= joinWindow();
        const { lines, starts, text } = joinedWindow;
        if (r.key !== undefined && !text.includes(r.key)) continue;
        const m = execBounded(r, text, charCap);
        if (!m) continue;
        // Walk back from the newest line to the line holding the match start (the first starts at 0).
        let first = lines.length - 1;
        while ((starts[first] as number) > m.index) first--;
        matches.push({ ruleIndex: r.index, rule: r.rule, lines: lines.slice(first) });
      }
      return matches;
    },
  };
}
