import { compileGoTimeLayout, parseGoTime } from '../../src/sources/go-time-layout.js';

const NOW = Date.UTC(2026, 4, 15, 12, 0, 0); // 2026-05-15T12:00:00Z
const utc = { nowMs: NOW, timeZone: 'UTC' };

describe('parseGoTime', () => {
  test.each([
    ['Jan _2 15:04:05', 'Jan  2 03:04:05', '2026-01-02T03:04:05.000Z'],
    ['Jan _2 15:04:05', 'May 14 23:59:59', '2026-05-14T23:59:59.000Z'],
    ['Jan _2 15:04:05', 'Feb 06 19:41:48', '2026-02-06T19:41:48.000Z'],
    ['Jan _2 15:04:05', 'Aug 30 06:58:55.050705', '2025-08-30T06:58:55.050Z'],
    ['Jan _2 15:04:05', 'May 16 11:00:00', '2026-05-16T11:00:00.000Z'],
    ['Jan _2 15:04:05', 'Dec 31 23:00:00', '2025-12-31T23:00:00.000Z'],
    ['2006-01-02T15:04:05.999999999-07:00', '2017-02-01T17:58:34.999999999-08:00', '2017-02-02T01:58:34.999Z'],
    ['2006-01-02T15:04:05.999999999-07:00', '2019-04-09T09:16:52+02:00', '2019-04-09T07:16:52.000Z'],
    ['2006-01-02T15:04:05Z07:00', '2026-05-28T12:21:57.303295+00:00', '2026-05-28T12:21:57.303Z'],
    ['2006-01-02T15:04:05Z07:00', '2026-05-28T12:21:57Z', '2026-05-28T12:21:57.000Z'],
    ['2006-01-02 15:04:05.000', '2024-02-29 01:02:03.456', '2024-02-29T01:02:03.456Z'],
    ['2006 Jan _2 15:04:05', '2025 Jul  2 06:56:57.749624', '2025-07-02T06:56:57.749Z'],
    ['January 2, 2006 3:04 PM', 'March 7, 2021 1:05 PM', '2021-03-07T13:05:00.000Z'],
    ['02/01/06 15:04 MST', '31/12/99 23:59 UTC', '1999-12-31T23:59:00.000Z'],
    // A numeric zone in the MST slot is applied; Go's time.Parse makes a zone named "-03" at offset 0,
    // three hours off the time the line says (a deliberate difference: docs/architecture.md, timestamps).
    ['02/01/06 15:04 MST', '31/12/99 23:59 -03', '2000-01-01T02:59:00.000Z'],
    ['02/01/06 15:04 MST', '31/12/99 23:59 +0530', '1999-12-31T18:29:00.000Z'],
    ['02/01/06 15:04 MST', '31/12/99 23:59 CET', '1999-12-31T23:59:00.000Z'],
    ['Mon Jan _2 15:04:05 2006', 'Fri May  1 10:00:00 2026', '2026-05-01T10:00:00.000Z'],
    ['2006-002', '2024-060', '2024-02-29T00:00:00.000Z'],
  ])('%s ← %s', (layout, text, want) => {
    expect(new Date(parseGoTime(layout, text, utc) as number).toISOString()).toBe(want);
  });

  test.each([
    ['Jan _2 15:04:05', 'Foo  2 03:04:05'],
    ['Jan _2 15:04:05', 'Jan 32 03:04:05'],
    ['Jan _2 15:04:05', 'Jan  2 24:04:05'],
    ['Jan _2 15:04:05', 'Jan  2 03:04:05 extra'],
    ['2006-01-02', '2023-02-29'],
    ['2006-01-02T15:04:05.000Z07:00', '2024-01-01T00:00:00Z'],
    ['Jan _2 15:04:05', '7月 09 14:12:17'],
  ])('%s rejects %s', (layout, text) => {
    expect(parseGoTime(layout, text, utc)).toBeUndefined();
  });

  test('time zone applies to layouts without an offset', () => {
    expect(new Date(parseGoTime('2006-01-02 15:04:05', '2026-07-01 12:00:00', { nowMs: NOW, timeZone: 'Europe/Berlin' }) as number).toISOString())
      .toBe('2026-07-01T10:00:00.000Z');
    expect(new Date(parseGoTime('2006-01-02 15:04:05', '2026-01-01 12:00:00', { nowMs: NOW, timeZone: 'America/New_York' }) as number).toISOString())
      .toBe('2026-01-01T17:00:00.000Z');
  });

  test.each([[''], ['hello'], ['.000']])('layout %j without fields does not compile', (layout) => {
    expect(compileGoTimeLayout(layout)).toBeUndefined();
  });
});

describe('one compiled layout over a stream (cached last text and year)', () => {
  const iso = (ms: number | undefined): string | undefined => (ms === undefined ? undefined : new Date(ms).toISOString());

  test.each([
    ['UTC', 'UTC', '2025-01-01T00:00:30.000Z', '2026-01-01T00:00:30.000Z'],
    ['New York', 'America/New_York', '2025-01-01T05:00:30.000Z', '2026-01-01T05:00:30.000Z'],
  ])('the same text read before and after New Year (%s) gets the year of each "now"', (_name, timeZone, before, after) => {
    const parse = compileGoTimeLayout('Jan _2 15:04:05');
    // Wall time in the zone (New York is UTC−5 in winter) as epoch ms.
    const wall = (y: number, mo: number, d: number, h: number, mi: number): number => Date.UTC(y, mo, d, h, mi) + (timeZone === 'UTC' ? 0 : 5 * 3_600_000);
    expect(iso(parse?.('Jan  1 00:00:30', { nowMs: wall(2025, 11, 31, 23, 59), timeZone }))).toBe(before);
    expect(iso(parse?.('Jan  1 00:00:30', { nowMs: wall(2026, 0, 1, 0, 1), timeZone }))).toBe(after);
    expect(iso(parse?.('Jan  1 00:00:30', { nowMs: wall(2025, 11, 31, 23, 59), timeZone }))).toBe(before);
  });

  test('"more than a day ahead is last year" follows now as it moves within the year', () => {
    const parse = compileGoTimeLayout('Jan _2 15:04:05');
    const at = (iso: string): number => Date.parse(iso);
    expect(iso(parse?.('May 21 12:00:00', { nowMs: at('2026-05-15T00:00:00Z'), timeZone: 'UTC' }))).toBe('2025-05-21T12:00:00.000Z');
    expect(iso(parse?.('May 21 12:00:00', { nowMs: at('2026-05-21T00:00:00Z'), timeZone: 'UTC' }))).toBe('2026-05-21T12:00:00.000Z');
    expect(iso(parse?.('May 21 12:00:00', { nowMs: at('2026-05-15T00:00:00Z'), timeZone: 'UTC' }))).toBe('2025-05-21T12:00:00.000Z');
    expect(iso(parse?.('May 21 12:00:00', { nowMs: at('2026-05-15T00:00:00Z'), timeZone: 'Asia/Tokyo' }))).toBe('2025-05-21T03:00:00.000Z');
    expect(parse?.('Feb 30 12:00:00', { nowMs: at('2026-05-15T00:00:00Z'), timeZone: 'UTC' })).toBeUndefined();
    expect(iso(parse?.('May 21 12:00:00', { nowMs: at('2026-05-21T00:00:00Z'), timeZone: 'UTC' }))).toBe('2026-05-21T12:00:00.000Z');
  });
});

describe('wall time → instant around DST changes (minute cache)', () => {
  const fmt = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', hourCycle: 'h23', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
  test.each([
    ['before spring forward', 'Mar  8 01:59:', 'Mar 8, 01:59:'],
    ['after spring forward', 'Mar  8 03:00:', 'Mar 8, 03:00:'],
    ['an ordinary minute', 'Jul  4 12:34:', 'Jul 4, 12:34:'],
    ['after fall back (the later 02:xx exists once)', 'Nov  1 02:10:', 'Nov 1, 02:10:'],
  ])('%s: every second of the minute reads back in the zone', (_name, prefix, shown) => {
    const parse = compileGoTimeLayout('Jan _2 15:04:05');
    const nowMs = Date.parse('2026-12-01T00:00:00Z');
    const first = parse?.(`${prefix}00`, { nowMs, timeZone: 'America/New_York' }) as number;
    for (const s of [0, 1, 17, 30, 59]) {
      const ss = String(s).padStart(2, '0');
      const got = parse?.(`${prefix}${ss}`, { nowMs, timeZone: 'America/New_York' }) as number;
      expect(got - first).toBe(s * 1000);
      expect(fmt.format(got)).toBe(`${shown}${ss}`);
    }
  });
});
