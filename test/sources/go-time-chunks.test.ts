/** Each element of Go's reference layout (`Jan`, `_2`, `3`, `pm`, `Z07:00:00`, …) read as Go's time.Parse reads it. */
import { compileGoTimeLayout, parseGoTime } from '../../src/sources/go-time-layout.js';

const NOW = Date.UTC(2026, 4, 15, 12, 0, 0); // 2026-05-15T12:00:00Z
const utc = { nowMs: NOW, timeZone: 'UTC' };
const iso = (ms: number | undefined): string | undefined => (ms === undefined ? undefined : new Date(ms).toISOString());

test.each([
  ['Monday, 02-Jan-06 15:04:05 MST', 'Friday, 01-May-26 10:00:00 UTC', '2026-05-01T10:00:00.000Z'],
  ['Monday, 02-Jan-06 15:04:05 MST', 'Friday, 01-May-26 10:00:00 PST', '2026-05-01T10:00:00.000Z'],
  ['02-Jan-06', '01-Jan-69', '1969-01-01T00:00:00.000Z'],
  ['02-Jan-06', '01-Jan-68', '2068-01-01T00:00:00.000Z'],
  ['2006 __2', '2024  60', '2024-02-29T00:00:00.000Z'],
  ['2006 __2', '2024 366', '2024-12-31T00:00:00.000Z'],
  ['1/2/2006 3:4:5', '5/1/2026 1:2:3', '2026-05-01T01:02:03.000Z'],
  ['1/2/2006 3:4:5', '12/31/2025 11:59:58', '2025-12-31T11:59:58.000Z'],
  ['2006-01-02 03:04:05 PM', '2026-05-01 12:00:00 AM', '2026-05-01T00:00:00.000Z'],
  ['2006-01-02 03:04:05 PM', '2026-05-01 12:00:00 PM', '2026-05-01T12:00:00.000Z'],
  ['2006-01-02 03:04:05 PM', '2026-05-01 01:00:00 PM', '2026-05-01T13:00:00.000Z'],
  ['2006-01-02 03:04:05 PM', '2026-05-01 00:30:00 PM', '2026-05-01T12:30:00.000Z'],
  ['2006-01-02 03:04:05 PM', '2026-05-01 00:30:00 AM', '2026-05-01T00:30:00.000Z'],
  ['2006-01-02 3:04pm', '2026-05-01 1:05pm', '2026-05-01T13:05:00.000Z'],
  ['2006-01-02 3:04pm', '2026-05-01 1:05am', '2026-05-01T01:05:00.000Z'],
  ['2006-01-02 15:04:05Z07:00:00', '2026-05-01 10:00:00+05:30:15', '2026-05-01T04:29:45.000Z'],
  ['2006-01-02 15:04:05Z07:00:00', '2026-05-01 10:00:00Z', '2026-05-01T10:00:00.000Z'],
  ['2006-01-02 15:04:05-07:00:00', '2026-05-01 10:00:00-05:30:00', '2026-05-01T15:30:00.000Z'],
  ['2006-01-02 15:04:05-07:00:00', '2026-05-01 10:00:00-05:30:07', '2026-05-01T15:30:07.000Z'],
  ['2006-01-02 15:04:05Z070000', '2026-05-01 10:00:00+053000', '2026-05-01T04:30:00.000Z'],
  ['2006-01-02 15:04:05Z070000', '2026-05-01 10:00:00Z', '2026-05-01T10:00:00.000Z'],
  ['2006-01-02 15:04:05-070000', '2026-05-01 10:00:00-053007', '2026-05-01T15:30:07.000Z'],
  ['2006-01-02 15:04:05Z0700', '2026-05-01 10:00:00+0530', '2026-05-01T04:30:00.000Z'],
  ['2006-01-02 15:04:05Z0700', '2026-05-01 10:00:00Z', '2026-05-01T10:00:00.000Z'],
  ['2006-01-02 15:04:05-0700', '2026-05-01 10:00:00-0530', '2026-05-01T15:30:00.000Z'],
  ['2006-01-02 15:04:05Z07', '2026-05-01 10:00:00+05', '2026-05-01T05:00:00.000Z'],
  ['2006-01-02 15:04:05Z07', '2026-05-01 10:00:00Z', '2026-05-01T10:00:00.000Z'],
  ['2006-01-02 15:04:05-07', '2026-05-01 10:00:00-05', '2026-05-01T15:00:00.000Z'],
  ['Jan _2 15:04:05', 'May  1 10:00:00.5', '2026-05-01T10:00:00.500Z'],
  ['Jan _2 15:04:05', 'May  1 10:00:00,25', '2026-05-01T10:00:00.250Z'],
  ['Jan _2 15:04:05', 'mAY  1 10:00:00', '2026-05-01T10:00:00.000Z'],
  ['January _2 15:04', 'DECEMBER  1 10:00', '2025-12-01T10:00:00.000Z'],
  ['2006-01-02 15:04:05,000', '2026-05-01 10:00:00,123', '2026-05-01T10:00:00.123Z'],
  ['2006-01-02 15:04:05.999', '2026-05-01 10:00:00', '2026-05-01T10:00:00.000Z'],
  ['2006.01.02 15:04', '2026.05.01 10:00', '2026-05-01T10:00:00.000Z'],
  ['[2006-01-02] (15:04)', '[2026-05-01] (10:00)', '2026-05-01T10:00:00.000Z'],
  ['2006-01-02 s', '2026-05-01 s', '2026-05-01T00:00:00.000Z'], // a letter is literal, not a regex escape
  ['Monday 2006-01-02', 'Wednesday 2026-05-06', '2026-05-06T00:00:00.000Z'],
  ['2006-01-02 15:04-07:00', '2026-05-01 10:00+05:30', '2026-05-01T04:30:00.000Z'],
  ['15:04:05 2006.000', '10:00:00.25 2026.000', '2026-01-01T10:00:00.250Z'], // .000 after the year is literal
  ['15:04:05.0 2006', '10:00:00.5 2026', '2026-01-01T10:00:00.500Z'],
])('%s ← %s', (layout, text, want) => {
  expect(iso(parseGoTime(layout, text, utc))).toBe(want);
});

test.each([
  ['2006-01-02 03:04:05 PM', '2026-05-01 13:00:00 PM'], // a 12-hour clock stops at 12
  ['2006-01-02 03:04 PM', '2026-05-01 10:00 pm'], // PM is upper case, pm lower case
  ['2006-01-02 3:04pm', '2026-05-01 1:05PM'],
  ['2006 __2', '2023 366'], // 2023 has 365 days
  ['2006 002', '2024 60'], // 002 wants three digits
  ['2006-01-02 15:04:05.000', '2026-05-01 10:00:00.12'], // .000 wants three digits
  ['2006-01-02 15:04:05.000', '2026-05-01 10:00:00'],
  ['2006-01-02 15:04:05-07:00', '2026-05-01 10:00:00Z'], // only a Z… layout takes Z
  ['2006-01-02 15:04:05-0700', '2026-05-01 10:00:00Z'],
  ['2006-01-02 15:04:05-07', '2026-05-01 10:00:00Z'],
  ['2006-01-02 15:04:05-070000', '2026-05-01 10:00:00Z'],
  ['2006-01-02 15:04:05-07:00:00', '2026-05-01 10:00:00Z'],
  ['2006-01-02 15:04', '2026-13-01 10:00'],
  ['2006-01-02 15:04', '2026-00-01 10:00'],
  ['2006-01-02 15:04', '2026-05-01 10:60'],
  ['2006-01-02 15:04:05', '2026-05-01 10:00:60'],
  ['2006-01-02 15:04', '2026-05-00 10:00'],
  ['2006-01-02 15:04', '2026-04-31 10:00'],
  ['2006.01.02', '2026x05x01'], // the dots are literal
  ['Jan 2', 'Mai 1'],
  ['January 2', 'Janu 1'],
  ['2006.000', '2026.123'], // .000 is a fraction only after the seconds
  ['2006-01-02', '2026-05-01.5'], // and a fraction is taken only after the seconds
])('%s rejects %s', (layout, text) => {
  expect(parseGoTime(layout, text, utc)).toBeUndefined();
});

test.each(['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'])('%s, full and short', (name) => {
  const month = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'].indexOf(name);
  const want = new Date(Date.UTC(2025, month, 3)).toISOString();
  expect(iso(parseGoTime('January 2 2006', `${name.toUpperCase()} 3 2025`, utc))).toBe(want);
  expect(iso(parseGoTime('Jan 2 2006', `${name.slice(0, 3)} 3 2025`, utc))).toBe(want);
});

test('a zone name is UTC whatever the zone of the parse; a layout without fields parses nothing', () => {
  expect(iso(parseGoTime('2006-01-02 15:04 MST', '2026-05-01 10:00 UTC', { nowMs: NOW, timeZone: 'Asia/Kolkata' }))).toBe('2026-05-01T10:00:00.000Z');
  expect(parseGoTime('hello', 'hello', utc)).toBeUndefined();
});

test('without a zone, the process\'s own zone is used', () => {
  const local = Intl.DateTimeFormat().resolvedOptions().timeZone;
  for (const text of ['2026-07-01 12:34:56.250', '1970-07-01 12:34:56.250']) {
    expect(parseGoTime('2006-01-02 15:04:05.000', text, { nowMs: NOW })).toBe(parseGoTime('2006-01-02 15:04:05.000', text, { nowMs: NOW, timeZone: local }));
  }
  expect(parseGoTime('Jan _2 15:04:05', 'May  1 10:00:00', { nowMs: NOW })).toBe(parseGoTime('Jan _2 15:04:05', 'May  1 10:00:00', { nowMs: NOW, timeZone: local }));
});

test('wall times of other minutes, hours, days, months and zones are not taken for the last one converted', () => {
  const berlin = { nowMs: NOW, timeZone: 'Europe/Berlin' };
  const parse = compileGoTimeLayout('2006-01-02 15:04:05');
  expect([
    ['2026-05-01 10:00:05', berlin], ['2026-05-01 10:01:05', berlin], ['2026-05-01 11:01:05', berlin], ['2026-05-02 11:01:05', berlin],
    ['2026-06-02 11:01:05', berlin], ['2026-06-02 11:01:05', utc], ['2026-06-02 11:01:06', berlin],
  ].map(([text, o]) => iso(parse?.(text as string, o as typeof utc)))).toEqual([
    '2026-05-01T08:00:05.000Z', '2026-05-01T08:01:05.000Z', '2026-05-01T09:01:05.000Z', '2026-05-02T09:01:05.000Z',
    '2026-06-02T09:01:05.000Z', '2026-06-02T11:01:05.000Z', '2026-06-02T09:01:06.000Z',
  ]);
});

test('a layout that repeats a text ends at its end: no field is found after the last', () => {
  expect(compileGoTimeLayout('.999')).toBeUndefined();
  expect(iso(compileGoTimeLayout('2006.000')?.('2026.000', utc))).toBe('2026-01-01T00:00:00.000Z');
});

describe('the year of a timestamp without one', () => {
  test('exactly a day ahead of now is this year; a second more is last year', () => {
    expect(iso(parseGoTime('Jan _2 15:04:05', 'May 16 12:00:00', utc))).toBe('2026-05-16T12:00:00.000Z');
    expect(iso(parseGoTime('Jan _2 15:04:05', 'May 16 12:00:01', utc))).toBe('2025-05-16T12:00:01.000Z');
  });

  test('"now" at the first instant of a year is in that year, after a "now" in the year before', () => {
    const parse = compileGoTimeLayout('Jan _2 15:04:05');
    expect(iso(parse?.('Jan  1 00:00:00', { nowMs: Date.parse('2025-06-01T00:00:00Z'), timeZone: 'UTC' }))).toBe('2025-01-01T00:00:00.000Z');
    expect(iso(parse?.('Jan  1 00:00:00', { nowMs: Date.parse('2026-01-01T00:00:00Z'), timeZone: 'UTC' }))).toBe('2026-01-01T00:00:00.000Z');
  });

  test('the same "now" is a different year in another zone: the year is not kept across zones', () => {
    const parse = compileGoTimeLayout('Jan _2 15:04:05');
    const nowMs = Date.parse('2026-01-01T03:00:00Z'); // 22:00 on 31 December 2025 in New York
    expect(iso(parse?.('Jan  1 01:00:00', { nowMs, timeZone: 'UTC' }))).toBe('2026-01-01T01:00:00.000Z');
    expect(iso(parse?.('Jan  1 01:00:00', { nowMs, timeZone: 'America/New_York' }))).toBe('2025-01-01T06:00:00.000Z');
    expect(iso(parse?.('Jan  1 01:00:00', { nowMs, timeZone: 'UTC' }))).toBe('2026-01-01T01:00:00.000Z');
  });
});

test('a wall time in a zone west of UTC before 1973 (no minute cache) and after', () => {
  const ny = { nowMs: NOW, timeZone: 'America/New_York' };
  expect(iso(parseGoTime('2006-01-02 15:04:05.000', '1970-07-01 12:00:00.250', ny))).toBe('1970-07-01T16:00:00.250Z');
  expect(iso(parseGoTime('2006-01-02 15:04:05.000', '2026-07-01 12:00:00.250', ny))).toBe('2026-07-01T16:00:00.250Z');
  expect(iso(parseGoTime('2006-01-02 15:04:05', '2026-07-01 12:00:00', { nowMs: NOW, timeZone: 'Asia/Kolkata' }))).toBe('2026-07-01T06:30:00.000Z');
});
