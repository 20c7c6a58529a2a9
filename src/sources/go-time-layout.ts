/**
 * Go's reference-time layouts (`Jan _2 15:04:05`, `2006-01-02T15:04:05.999999999-07:00`), as used by
 * NPD's filelog `timestampFormat`. A layout is compiled once into a regex plus a list of fields.
 * Like Go's `time.Parse`, the whole text must match, and a fractional second may follow the
 * seconds even when the layout has none. Unlike Go, a missing year is filled in (see
 * {@link GoTimeOptions}), which NPD's translator does right after parsing.
 */

/** Inputs of a parse that are not in the text. */
export interface GoTimeOptions {
  /** "Now" in ms since the epoch: fills a missing year. */
  readonly nowMs: number;
  /** IANA zone for layouts without an offset. @default the process's local zone (NPD uses time.Local) */
  readonly timeZone?: string | undefined;
}

/** A compiled layout: returns ms since the epoch, or undefined if `text` does not fit. */
export type GoTimeParser = (text: string, options: GoTimeOptions) => number | undefined;

type Field =
  | 'year' | 'year2' | 'month' | 'monthName' | 'day' | 'yday' | 'hour' | 'hour12' | 'minute' | 'second'
  | 'frac' | 'ampm' | 'zone' | 'zoneName' | 'ignore';

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const FULL_MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

// Longest first, as Go's nextStdChunk tries them.
const CHUNKS: readonly (readonly [string, string, Field])[] = [
  ['January', '([A-Za-z]+)', 'monthName'],
  ['Monday', '[A-Za-z]+', 'ignore'],
  ['Jan', '([A-Za-z]{3})', 'monthName'],
  ['Mon', '[A-Za-z]{3}', 'ignore'],
  ['MST', '([A-Za-z]{3,5}|[+-]\\d{2,4})', 'zoneName'],
  ['2006', '(\\d{4})', 'year'],
  ['002', '(\\d{3})', 'yday'],
  ['__2', '( {0,2}\\d{1,3})', 'yday'],
  ['_2', ' ?(\\d{1,2})', 'day'],
  ['01', '(\\d{2})', 'month'],
  ['02', '(\\d{2})', 'day'],
  ['03', '(\\d{2})', 'hour12'],
  ['04', '(\\d{2})', 'minute'],
  ['05', '(\\d{2})', 'second'],
  ['06', '(\\d{2})', 'year2'],
  ['15', '(\\d{1,2})', 'hour'],
  ['1', '(\\d{1,2})', 'month'],
  ['2', '(\\d{1,2})', 'day'],
  ['3', '(\\d{1,2})', 'hour12'],
  ['4', '(\\d{1,2})', 'minute'],
  ['5', '(\\d{1,2})', 'second'],
  ['PM', '(AM|PM)', 'ampm'],
  ['pm', '(am|pm)', 'ampm'],
  ['Z07:00:00', '(Z|[+-]\\d{2}:\\d{2}:\\d{2})', 'zone'],
  ['-07:00:00', '([+-]\\d{2}:\\d{2}:\\d{2})', 'zone'],
  ['Z070000', '(Z|[+-]\\d{6})', 'zone'],
  ['-070000', '([+-]\\d{6})', 'zone'],
  ['Z07:00', '(Z|[+-]\\d{2}:\\d{2})', 'zone'],
  ['-07:00', '([+-]\\d{2}:\\d{2})', 'zone'],
  ['Z0700', '(Z|[+-]\\d{4})', 'zone'],
  ['-0700', '([+-]\\d{4})', 'zone'],
  ['Z07', '(Z|[+-]\\d{2})', 'zone'],
  ['-07', '([+-]\\d{2})', 'zone'],
];

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Compiles a Go layout. Returns undefined when the layout has no time field at all (an empty or
 * literal-only layout cannot parse anything, so the caller reports it as bad config).
 */
export function compileGoTimeLayout(layout: string): GoTimeParser | undefined {
  let src = '';
  const fields: Field[] = [];
  let i = 0;
  while (i < layout.length) {
    const frac = /^[.,](0+|9+)(?![0-9])/.exec(layout.slice(i));
    if (frac && fields.at(-1) === 'second') {
      const n = (frac[1] as string).length;
      src += frac[1]?.startsWith('0') ? `[.,](\\d{${n}})` : '(?:[.,](\\d+))?';
      fields.push('frac');
      i += frac[0].length;
      continue;
    }
    const chunk = CHUNKS.find(([name]) => layout.startsWith(name, i));
    if (chunk) {
      const [name, re, field] = chunk;
      if (field !== 'ignore') fields.push(field);
      src += re;
      i += name.length;
      if (field === 'second' && !/^[.,](0+|9+)(?![0-9])/.test(layout.slice(i))) {
        // Go accepts a fractional second after the seconds even when the layout has none.
        src += '(?:[.,](\\d+))?';
        fields.push('frac');
      }
      continue;
    }
    src += escapeRe(layout[i] as string);
    i++;
  }
  if (!fields.some((f) => f !== 'frac')) return undefined;
  const re = new RegExp(`^${src}$`);
  const hasYear = fields.includes('year') || fields.includes('year2');
  /** Reads `text`; returns a builder from a year to epoch ms, or undefined when the text does not fit. */
  const read = (text: string, timeZone: string | undefined): Builder | undefined => {
    const m = re.exec(text);
    if (!m) return undefined;
    const t = { year: 0, month: 1, day: 1, hour: 0, minute: 0, second: 0, ms: 0, pm: undefined as boolean | undefined };
    let offsetSec: number | undefined;
    let yday: number | undefined;
    for (let k = 0; k < fields.length; k++) {
      const v = m[k + 1];
      if (v === undefined) continue;
      switch (fields[k]) {
        case 'year': t.year = Number(v); break;
        case 'year2': t.year = Number(v) >= 69 ? 1900 + Number(v) : 2000 + Number(v); break;
        case 'month': t.month = Number(v); break;
        case 'monthName': {
          const lower = v.toLowerCase();
          const idx = v.length === 3 ? MONTHS.indexOf(lower) : FULL_MONTHS.indexOf(lower);
          if (idx < 0) return undefined;
          t.month = idx + 1;
          break;
        }
        case 'day': t.day = Number(v); break;
        case 'yday': yday = Number(v.trim()); break;
        case 'hour': t.hour = Number(v); break;
        case 'hour12': t.hour = Number(v); if (t.hour > 12) return undefined; break; // Go takes 0 as well
        case 'minute': t.minute = Number(v); break;
        case 'second': t.second = Number(v); break;
        case 'frac': t.ms = Number(v.slice(0, 3).padEnd(3, '0')); break;
        case 'ampm': t.pm = v.toLowerCase() === 'pm'; break;
        case 'zone': offsetSec = parseOffset(v); break;
        case 'zoneName': offsetSec = /^(UTC|GMT|Z)$/i.test(v) ? 0 : /^[+-]/.test(v) ? parseOffset(v) : 0; break;
      }
    }
    if (t.pm !== undefined) t.hour = (t.hour % 12) + (t.pm ? 12 : 0);
    if (t.month < 1 || t.month > 12 || t.hour > 23 || t.minute > 59 || t.second > 59) return undefined;
    const build = (year: number): number | undefined => {
      let month = t.month;
      let day = t.day;
      if (yday !== undefined) {
        const d = new Date(Date.UTC(2000, 0, yday));
        d.setUTCFullYear(year, 0, yday);
        if (d.getUTCFullYear() !== year) return undefined;
        month = d.getUTCMonth() + 1;
        day = d.getUTCDate();
      }
      if (day < 1 || day > daysIn(year, month)) return undefined;
      const wall = { year, month, day, hour: t.hour, minute: t.minute, second: t.second, ms: t.ms };
      return offsetSec !== undefined ? wallToUtc(wall) - offsetSec * 1000 : zonedToEpoch(wall, timeZone);
    };
    return { year: t.year, build };
  };

  // Syslog timestamps repeat for every line within a second: the last text's reading and its
  // results per year are kept, and the current year is known for a whole year of "now".
  let lastText: string | undefined;
  let lastZone: string | undefined;
  let last: Builder | undefined;
  let lastYear = Number.NaN;
  let atYear: number | undefined;
  let atYearBefore: number | undefined | null = null;
  const years = createYearCache();
  return (text, options) => {
    if (text !== lastText || options.timeZone !== lastZone) {
      lastText = text;
      lastZone = options.timeZone;
      last = read(text, options.timeZone);
      lastYear = Number.NaN;
    }
    if (!last) return undefined;
    // NPD fills the current year; a date that lands more than a day in the future is last year's
    // (a December line read in January).
    const year = hasYear ? last.year : years.yearOf(options.nowMs, options.timeZone);
    if (year !== lastYear) {
      lastYear = year;
      atYear = last.build(year);
      atYearBefore = null;
    }
    if (hasYear || (atYear !== undefined && atYear <= options.nowMs + 86_400_000)) return atYear;
    if (atYearBefore === null) atYearBefore = last.build(year - 1);
    return atYearBefore ?? atYear;
  };
}

interface Builder {
  /** The year in the text (0 when the layout has none). */
  readonly year: number;
  /** Epoch ms of the text's wall time in `year`; undefined when that date does not exist. */
  build(year: number): number | undefined;
}

/** The year of "now" in a zone, remembered with the span of epoch ms that year covers. */
function createYearCache(): { yearOf(nowMs: number, timeZone: string | undefined): number } {
  let zone: string | undefined;
  let lo = 0;
  let hi = 0;
  let year = 0;
  return {
    yearOf(nowMs, timeZone) {
      if (nowMs >= lo && nowMs < hi && timeZone === zone) return year;
      year = wallInZone(nowMs, timeZone).year;
      zone = timeZone;
      const jan1 = (y: number): number => zonedToEpoch({ year: y, month: 1, day: 1, hour: 0, minute: 0, second: 0, ms: 0 }, timeZone);
      lo = jan1(year);
      hi = jan1(year + 1);
      // Only a span whose ends check out is trusted; otherwise every call computes the year.
      if (!(lo <= nowMs && nowMs < hi && wallInZone(lo, timeZone).year === year && wallInZone(hi - 1, timeZone).year === year)) hi = lo;
      return year;
    },
  };
}

const cache = new Map<string, GoTimeParser | undefined>();

/**
 * Parses `text` with a Go layout; ms since the epoch, or undefined if it does not fit.
 * @example parseGoTime('Jan _2 15:04:05', 'Jan  2 03:04:05', { nowMs: Date.now() })
 */
export function parseGoTime(layout: string, text: string, options: GoTimeOptions): number | undefined {
  if (!cache.has(layout)) {
    if (cache.size > 64) cache.clear();
    cache.set(layout, compileGoTimeLayout(layout));
  }
  return cache.get(layout)?.(text, options);
}

interface Wall { year: number; month: number; day: number; hour: number; minute: number; second: number; ms: number }

/** `Z`, `±hh`, `±hhmm`, `±hh:mm`, `±hhmmss` or `±hh:mm:ss` → seconds east of UTC (Go keeps the seconds too). */
function parseOffset(v: string): number {
  if (v === 'Z') return 0;
  const digits = v.slice(1).replace(/:/g, '');
  const seconds = (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0')) * 60 + Number(digits.slice(4, 6) || '0');
  return v.startsWith('-') ? -seconds : seconds;
}

function daysIn(year: number, month: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month, 0);
  return d.getUTCDate();
}

function wallToUtc(w: Wall): number {
  const d = new Date(0);
  d.setUTCFullYear(w.year, w.month - 1, w.day);
  d.setUTCHours(w.hour, w.minute, w.second, 0);
  return d.getTime() + w.ms;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function wallInZone(ms: number, timeZone: string | undefined): Wall {
  if (timeZone === undefined) {
    const d = new Date(ms);
    return { year: d.getFullYear(), month: d.getMonth() + 1, day: d.getDate(), hour: d.getHours(), minute: d.getMinutes(), second: d.getSeconds(), ms: 0 };
  }
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  return { year: Number(parts.year), month: Number(parts.month), day: Number(parts.day), hour: Number(parts.hour), minute: Number(parts.minute), second: Number(parts.second), ms: 0 };
}

/** Wall-clock time in a zone → epoch ms (the earlier instant when a DST change makes it ambiguous). */
function zonedToEpoch(w: Wall, timeZone: string | undefined): number {
  // Offsets change on whole minutes since the 1970s (LMT offsets had seconds), so the start of
  // the last minute converted is kept and the seconds added to it.
  if (w.year < 1973) return zonedToEpochUncached(w, timeZone);
  const minute = (((w.year * 13 + w.month) * 32 + w.day) * 24 + w.hour) * 60 + w.minute;
  if (minute !== lastMinute.key || timeZone !== lastMinute.zone) {
    lastMinute = { key: minute, zone: timeZone, epoch: zonedToEpochUncached({ ...w, second: 0, ms: 0 }, timeZone) };
  }
  return lastMinute.epoch + w.second * 1000 + w.ms;
}

let lastMinute: { key: number; zone: string | undefined; epoch: number } = { key: Number.NaN, zone: undefined, epoch: 0 };

function zonedToEpochUncached(w: Wall, timeZone: string | undefined): number {
  if (timeZone === undefined) {
    const d = new Date(0);
    d.setFullYear(w.year, w.month - 1, w.day);
    d.setHours(w.hour, w.minute, w.second, 0);
    return d.getTime() + w.ms;
  }
  const guess = wallToUtc({ ...w, ms: 0 });
  const offsetAt = (ms: number): number => wallToUtc(wallInZone(ms, timeZone)) - Math.floor(ms / 1000) * 1000;
  let result = guess - offsetAt(guess);
  result = guess - offsetAt(result);
  return result + w.ms;
}
