/**
 * The line parser's edges: a `^.{N}` timestamp in a layout the fallback cannot read, the describer,
 * NPD #207's cut-off check, message heads, the generic parser's prefixes and tags.
 */
import { createLineParser, createLineReaders, messageHead } from '../../src/sources/line-parser.js';

const NOW = Date.UTC(2026, 4, 15, 12, 0, 0); // 2026-05-15T12:00:00Z
const opts = { file: 'm.json', nowMs: NOW, timeZone: 'UTC' };
const kern = { timestamp: '^.{15}', message: 'kernel: \\[.*\\] (.*)', timestampFormat: 'Jan _2 15:04:05' };
/** A layout no fallback prefix reads: the `^.{19}` slice alone gives the time. */
const slashes = { timestamp: '^.{19}', message: '^.{19}(.*)', timestampFormat: '2006/01/02 15:04:05' };
const at = (line: string, cfg: Record<string, string> = slashes, o: object = opts) => {
  const got = createLineParser(cfg, { ...opts, ...o })(line);
  return got && { time: got.time.toISOString(), message: got.message };
};

describe('a `^.{N}` timestamp', () => {
  test('each line gets the time of its own first N characters, a line of exactly N too', () => {
    const parse = createLineParser(slashes, opts);
    const seen = ['2026/05/01 10:00:00 a', '2026/05/01 10:00:00 b', '2026/05/01 10:00:07 c', '2026/05/01 10:00:07', '2026/05/01 10:00:0'].map((l) => {
      const got = parse(l);
      return got && [got.time.toISOString(), got.message];
    });
    expect(seen).toEqual([
      ['2026-05-01T10:00:00.000Z', 'a'], ['2026-05-01T10:00:00.000Z', 'b'], ['2026-05-01T10:00:07.000Z', 'c'], ['2026-05-01T10:00:07.000Z', ''], undefined,
    ]);
  });

  test('the zone of the parse applies to a layout without an offset', () => {
    expect(at('2026/05/01 10:00:00 x', slashes, { timeZone: 'Asia/Kolkata' })).toEqual({ time: '2026-05-01T04:30:00.000Z', message: 'x' });
  });
});

describe('messages', () => {
  test('a pattern that is not `head(.*)`: its last group, "" for a group that took no part, undefined without a match', () => {
    const cfg = { ...kern, message: 'kernel: \\[[^\\]]*\\] (x)?(?:y|z)' };
    expect(at('May  1 10:00:00 h kernel: [1.0] xy', cfg)?.message).toBe('x');
    expect(at('May  1 10:00:00 h kernel: [1.0] z', cfg)?.message).toBe('');
    expect(at('May  1 10:00:00 h systemd: w', cfg)).toBeUndefined();
  });

  test.each([
    ['kernel: x [1', 'x [1'],
    ['kernel: [  12', undefined],
    ['kernel: [ 1 x [1.0]', undefined],
    ['kernel: [  12.345]x', '[  12.345]x'],
  ])('NPD #207: without `] ` the text after `kernel: ` is the message, unless it is a cut-off uptime (%s)', (tail, message) => {
    expect(at(`May  1 10:00:00 h ${tail}`, kern)?.message).toBe(message);
  });

  test.each([
    ['kernel: \\[.*\\] (.*)', 'kernel: \\[.*\\] '],
    ['x\\\\(.*)', 'x\\\\'],
    ['(.*)', undefined],
    ['x\\(.*)', undefined],
    ['a|b(.*)', undefined],
    ['(?i)kernel: (.*)', undefined],
    ['\\Qa\\E(.*)', undefined],
    ['(.*) end', undefined],
    ['(.*)x(.*)', '(.*)x'],
  ])('messageHead(%j) = %j', (source, head) => {
    expect(messageHead(source)).toBe(head);
  });
});

describe('the describer (what the parser would give, for lines only counted)', () => {
  test.each([
    ['May  1 10:00:00 h kernel: [1.0] text', { timeMs: Date.parse('2026-05-01T10:00:00Z'), empty: false }],
    ['May  1 10:00:00 h kernel: [1.0]  text', { timeMs: Date.parse('2026-05-01T10:00:00Z'), empty: false }],
    ['May  1 10:00:00 h kernel: [1.0] \u00e9', { timeMs: Date.parse('2026-05-01T10:00:00Z'), empty: false }],
    ['May  1 10:00:00 h kernel: [1.0] ', { timeMs: Date.parse('2026-05-01T10:00:00Z'), empty: true }],
    ['May  1 10:00:00 h kernel: [1.0]  \t ', { timeMs: Date.parse('2026-05-01T10:00:00Z'), empty: true }],
    ['May  1 10:00:00 h kernel: [1.0] ~', { timeMs: Date.parse('2026-05-01T10:00:00Z'), empty: false }],
    ['May  1 10:00:00 h kernel: [1.0] \x7f', { timeMs: Date.parse('2026-05-01T10:00:00Z'), empty: false }],
    ['May  1 10:00:00 h kernel: [1.0] \u00a0', { timeMs: Date.parse('2026-05-01T10:00:00Z'), empty: true }],
    ['May  1 10:00:00 h kernel: [  12', undefined],
    ['May  1 10:00:00 h systemd: x', undefined],
    ['kernel: [1.0] x', undefined],
  ])('NPD kernel config: %j', (line, want) => {
    const { describe, parse } = createLineReaders(kern, opts);
    expect(describe(line) && { ...describe(line) }).toEqual(want);
    const parsed = parse(line);
    expect(parsed && { timeMs: parsed.time.getTime(), empty: parsed.message === '' }).toEqual(want);
  });

  test('generic parser: the time of the line (or now) and whether its message is empty', () => {
    const { describe } = createLineReaders({}, opts);
    expect({ ...describe('May  1 10:00:00 h app[1]: x') }).toEqual({ timeMs: Date.parse('2026-05-01T10:00:00Z'), empty: false });
    expect({ ...describe('May  1 10:00:00 h app[1]: ') }).toEqual({ timeMs: Date.parse('2026-05-01T10:00:00Z'), empty: true });
    expect({ ...describe('') }).toEqual({ timeMs: NOW, empty: true });
  });
});
