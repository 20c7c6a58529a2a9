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
