/**
 * Turns one text line of a log file into a {@link LogLine}. With NPD's filelog `pluginConfig`
 * (`timestamp` and `message` regexes, Go `timestampFormat`) it behaves like NPD's translator, plus
 * fallbacks for formats NPD's shipped config fails on; with an empty `pluginConfig` it recognises
 * syslog, RFC 3339 syslog, SONiC, `journalctl -o short`, dmesg and bare text on its own.
 */
import { ConfigError, Re2Error } from '../core/errors.js';
import { compileRe2, execPattern, matchEnd } from '../re2/re2.js';
import type { CompiledPattern } from '../re2/re2.js';
import { compileGoTimeLayout, type GoTimeParser } from './go-time-layout.js';
import type { LogLine } from './log-source.js';

/** Options of {@link createLineParser}. */
export interface LineParserOptions {
  /** The monitor file, for ConfigError. */
  readonly file: string;
  /** "Now" in ms since the epoch: fills a missing year and stamps lines that carry no time. */
  readonly nowMs: number;
  /** A live "now" for long-running parsers; wins over `nowMs` when given. */
  readonly now?: () => number;
  /** IANA zone for timestamps without an offset. @default the process's local zone (NPD: time.Local) */
  readonly timeZone?: string;
}

/** Parses one line; undefined when the line does not fit (the caller counts it). */
export type LineParser = (line: string) => LogLine | undefined;

/**
 * What {@link LineParser} would make of a line, without building it: the time in ms and whether
 * the message is empty, or undefined when the parser would return undefined. The object returned
 * is reused by the next call. For lines only counted (line-prefilter.ts).
 */
export type LineDescriber = (line: string) => { readonly timeMs: number; readonly empty: boolean } | undefined;

const NPD_KEYS = ['timestamp', 'message', 'timestampFormat'] as const;

/**
 * Creates a line parser. Throws ConfigError (field `pluginConfig.timestamp` …) when a regex does
 * not compile, the layout is empty, or only some of NPD's three keys are given.
 * @example createLineParser({ timestamp: '^.{15}', message: 'kernel: \\[.*\\] (.*)', timestampFormat: 'Jan _2 15:04:05' }, { file: 'm.json', nowMs: Date.now() })
 */
export function createLineParser(pluginConfig: Readonly<Record<string, string>>, options: LineParserOptions): LineParser {
  return createLineReaders(pluginConfig, options).parse;
}

/** A parser and its describer, sharing their settings (see {@link createLineParser}). */
export function createLineReaders(pluginConfig: Readonly<Record<string, string>>, options: LineParserOptions): { parse: LineParser; describe: LineDescriber } {
  const now = options.now ?? (() => options.nowMs);
  const tz = options.timeZone;
  const described = { timeMs: 0, empty: false };
  if (!NPD_KEYS.some((k) => pluginConfig[k] !== undefined)) {
    return {
      parse: (line) => parseGenericLine(line, now(), tz),
      describe(line) {
        const l = parseGenericLine(line, now(), tz);
        described.timeMs = l.time.getTime();
        described.empty = l.message === '';
        return described;
      },
    };
  }
  for (const k of NPD_KEYS) {
    if (!pluginConfig[k]) throw new ConfigError(options.file, `pluginConfig.${k}`, `must be set (non-empty) together with ${NPD_KEYS.filter((o) => o !== k).join(' and ')}`);
  }
  const timestamp = compileSubmatch(pluginConfig.timestamp as string, options.file, 'pluginConfig.timestamp');
  const messageOf = compileSubmatch(pluginConfig.message as string, options.file, 'pluginConfig.message');
  const messageStart = restOfLineStart(pluginConfig.message as string);
  const layout = pluginConfig.timestampFormat as string;
  const parseTime = compileGoTimeLayout(layout);
  if (!parseTime) throw new ConfigError(options.file, 'pluginConfig.timestampFormat', `"${layout}" has no Go time fields (e.g. "Jan _2 15:04:05")`);
  const kernelFallback = /kernel:/.test(pluginConfig.message as string);
  const timeOptions: { nowMs: number; timeZone: string | undefined } = { nowMs: 0, timeZone: tz };
  // Consecutive lines mostly share their timestamp text: it is parsed once per text and "now".
  let lastTs: string | undefined;
  let lastTsNow = Number.NaN;
  let lastTsTime: number | undefined;
  const timeOf = (line: string, nowMs: number): number | undefined => {
    const ts = timestamp(line);
    let time: number | undefined;
    if (ts !== undefined) {
      if (ts !== lastTs || nowMs !== lastTsNow) {
        timeOptions.nowMs = nowMs;
        lastTs = ts;
        lastTsNow = nowMs;
        lastTsTime = parseTime(ts, timeOptions);
      }
      time = lastTsTime;
    }
    // Beyond NPD: a line whose prefix the configured layout cannot read (RFC 3339, SONiC, syslog
    // with fractions) still gets its own time rather than being dropped.
    return time ?? splitTimestamp(line, nowMs, tz)?.time;
  };
  const message = (line: string): string | undefined => {
    const m = messageOf(line);
    // NPD #207: kern.log without printk times has no `[uptime]`; take the text after `kernel: `,
    // but not a cut-off `[uptime` (NPD's own test expects that line to fail).
    return m === undefined && kernelFallback ? afterKernelTag(line) : m;
  };
  let lastTime = Number.NaN;
  let lastDate = new Date(0);

  return {
    parse(line) {
      const time = timeOf(line, now());
      if (time === undefined) return undefined;
      const text = message(line);
      if (text === undefined) return undefined;
      // Lines of the same second share one Date (LogLine is read-only).
      if (time !== lastTime) {
        lastTime = time;
        lastDate = new Date(time);
      }
      return { time: lastDate, message: text.trim() };
    },
    describe(line) {
      const time = timeOf(line, now());
      if (time === undefined) return undefined;
      const start = messageStart?.(line);
      // A printable ASCII character first: not empty, without cutting the message out.
      if (start !== undefined && start < line.length && isPrintable(line.charCodeAt(start))) described.empty = false;
      else {
        const text = message(line);
        if (text === undefined) return undefined;
        described.empty = text.trim() === '';
      }
      described.timeMs = time;
      return described;
    },
  };
}

const isPrintable = (c: number): boolean => c > 32 && c < 127;

/** Compiles an RE2 pattern from a monitor file (see re2/re2.ts); a bad one is a ConfigError on `field`. */
function compileField(source: string, file: string, field: string): CompiledPattern {
  try {
    return compileRe2(source);
  } catch (err) {
    if (err instanceof Re2Error) throw new ConfigError(file, field, `invalid regular expression: ${err.problem}`, { cause: err });
    throw err;
  }
}

/**
 * The last submatch of an RE2 pattern (the whole match without groups). `^.{N}`, the timestamp
 * of NPD's syslog configs, is a slice of the first N characters.
 */
function compileSubmatch(source: string, file: string, field: string): (line: string) => string | undefined {
  const compiled = compileField(source, file, field);
  const fixed = /^\^\.\{(\d+)\}$/.exec(source);
  if (!fixed) return restOfLine(source) ?? ((line) => lastSubmatch(execPattern(compiled, line)));
  const n = Number(fixed[1]);
  // Consecutive lines mostly share their timestamp: then the same string is returned again.
  let last = '';
  return (line) => {
    if (line.length < n) return undefined;
    if (last.length === n && line.startsWith(last)) return last;
    const head = line.slice(0, n);
    if (head.includes('\n')) return lastSubmatch(execPattern(compiled, line));
    last = head;
    return head;
  };
}

/**
 * For `head(.*)` (no alternation, flags or quoting): where the match of `head` ends, so the message
 * is the rest of the line, as the trailing greedy group would take it, without the regex walking it
 * character by character. NPD's message patterns (`kernel: \[.*\] (.*)`) have this form.
 */
function restOfLineStart(source: string): ((line: string) => number | undefined) | undefined {
  const head = messageHead(source);
  if (head === undefined) return undefined;
  // Long lines run on the linear-time engine: `kernel: \[.*\] ` over a line of 16,000 `kernel: [`
  // (144 K characters) took 11 s on the JIT.
  return matchEnd(compileRe2(head));
}

/** The head of a message pattern of the form `head(.*)` (see {@link restOfLineStart}), or undefined. */
export function messageHead(source: string): string | undefined {
  if (!source.endsWith('(.*)') || /\||\(\?|\\Q/.test(source)) return undefined;
  const head = source.slice(0, -'(.*)'.length);
  const backslashes = /\\*$/.exec(head)?.[0].length ?? 0;
  return head === '' || backslashes % 2 === 1 ? undefined : head;
}

/** The submatch of a `head(.*)` pattern (see {@link restOfLineStart}), up to the line's end. */
function restOfLine(source: string): ((line: string) => string | undefined) | undefined {
  const end = restOfLineStart(source);
  if (!end) return undefined;
  return (line) => {
    const start = end(line);
    if (start === undefined) return undefined;
    const nl = line.indexOf('\n', start);
    return nl < 0 ? line.slice(start) : line.slice(start, nl);
  };
}

function lastSubmatch(m: RegExpExecArray | null): string | undefined {
  if (!m) return undefined;
  return m[m.length - 1] ?? '';
}

function afterKernelTag(line: string): string | undefined {
  const i = line.indexOf('kernel: ');
  if (i < 0) return undefined;
  const rest = line.slice(i + 'kernel: '.length);
  return /^\[\s*\d/.test(rest) && !/^\[\s*\d+\.\d+\]/.test(rest) ? undefined : rest;
}

const PREFIXES: readonly { re: RegExp; layout: GoTimeParser; normalize?: (s: string) => string }[] = [
  // 2024-05-01T10:00:00.123456+02:00 (rsyslog RFC 3339); ' ' instead of 'T' is accepted.
  { re: /^(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:\d{2}))\s+/, layout: layoutOf('2006-01-02T15:04:05Z07:00'), normalize: (s) => s.replace(' ', 'T') },
  { re: /^(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?)\s+/, layout: layoutOf('2006-01-02T15:04:05'), normalize: (s) => s.replace(' ', 'T') },
  // SONiC: 2025 Jul  2 06:56:57.749624
  { re: /^(\d{4} [A-Z][a-z]{2} [ \d]?\d \d{2}:\d{2}:\d{2}(?:\.\d+)?)\s+/, layout: layoutOf('2006 Jan _2 15:04:05') },
  // BSD syslog and journalctl -o short: Jan  2 15:04:05, Feb 06 19:41:48, Aug 30 06:58:55.050705
  { re: /^([A-Z][a-z]{2} [ \d]?\d \d{2}:\d{2}:\d{2}(?:\.\d+)?)\s+/, layout: layoutOf('Jan _2 15:04:05') },
];

function layoutOf(layout: string): GoTimeParser {
  return compileGoTimeLayout(layout) as GoTimeParser;
}

/** A leading timestamp in one of the known formats: its time and the rest of the line. */
function splitTimestamp(line: string, nowMs: number, timeZone: string | undefined): { time: number; rest: string } | undefined {
  for (const p of PREFIXES) {
    const m = p.re.exec(line);
    if (!m) continue;
    const text = m[1] as string;
    const time = p.layout(p.normalize ? p.normalize(text) : text, { nowMs, timeZone });
    if (time !== undefined) return { time, rest: line.slice(m[0].length) };
  }
  return undefined;
}

// `host tag[pid]: msg`, `tag[pid]: msg` (no host), `host LEVEL tag: msg` (SONiC).
const TAG_ONLY = /^([^\s:[\]]+)(?:\[\d+\])?: ?/;
const HOST_TAG = /^\S+\s+(?:(?:EMERG|ALERT|CRIT|ERR|ERROR|WARNING|WARN|NOTICE|INFO|DEBUG)\s+)?([^\s:[\]]+)(?:\[\d+\])?: ?/;
const UPTIME = /^\[\s*\d+\.\d+\] ?/;

/**
 * The parser used when `pluginConfig` has none of NPD's keys. Lines without a time get `nowMs`
 * (a dmesg uptime cannot be turned into wall time here). The syslog tag goes to
 * `fields.SYSLOG_IDENTIFIER`; for `kernel` the `[uptime]` is dropped too, as NPD's config does.
 */
export function parseGenericLine(line: string, nowMs: number, timeZone?: string): LogLine {
  const stamped = splitTimestamp(line, nowMs, timeZone);
  if (!stamped) {
    const dmesg = UPTIME.exec(line);
    return { time: new Date(nowMs), message: (dmesg ? line.slice(dmesg[0].length) : line).trim() };
  }
  const header = TAG_ONLY.exec(stamped.rest) ?? HOST_TAG.exec(stamped.rest);
  if (!header) return { time: new Date(stamped.time), message: stamped.rest.trim() };
  const tag = header[1] as string;
  let message = stamped.rest.slice(header[0].length);
  if (tag === 'kernel') message = message.replace(UPTIME, '');
  return { time: new Date(stamped.time), message: message.trim(), fields: { SYSLOG_IDENTIFIER: tag } };
}
