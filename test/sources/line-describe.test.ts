/**
 * The describer of lines where they lie in a read's text gives the parser's answer for every line
 * (time, empty or not, unparsable), takes its fast path for NPD's syslog lines, and counts a run of
 * lines alike at once without passing a line that differs or holds a literal.
 */
import { createLineReaders, type LineDescriber } from '../../src/sources/line-parser.js';
import { createRangeDescriber } from '../../src/sources/line-describe.js';
import { createLineSplitter } from '../../src/sources/line-splitter.js';

const NOW = Date.parse('2026-05-15T12:00:00Z');
const kern = { timestamp: '^.{15}', message: 'kernel: \\[.*\\] (.*)', timestampFormat: 'Jan _2 15:04:05' };

function setup(pluginConfig: Record<string, string>, now?: () => number, timeZone = 'UTC') {
  const options = { file: 'm.json', nowMs: NOW, ...(now ? { now } : {}), timeZone };
  const { describe } = createLineReaders(pluginConfig, options);
  let slow = 0;
  const counted: LineDescriber = (line) => {
    slow++;
    return describe(line);
  };
  const ranges = createRangeDescriber(pluginConfig, options, counted);
  const copy = (d: ReturnType<LineDescriber>) => d && { ...d };
  return { describe, ranges, slow: () => slow, copy };
}

/** Every line of `text` (split as the filelog source splits it) described both ways. */
function both(pluginConfig: Record<string, string>, text: string, timeZone = 'UTC') {
  const { describe, ranges, slow, copy } = setup(pluginConfig, undefined, timeZone);
  const r = createLineSplitter(1 << 20, () => {}).ranges(text);
  const fast: unknown[] = [];
  const reference: unknown[] = [];
  for (let i = 0; i < r.count; i++) {
    const s = r.bounds[2 * i] as number;
    const e = r.bounds[2 * i + 1] as number;
    fast.push(copy(ranges.describe(r.text, s, e)));
    reference.push(copy(describe(r.text.slice(s, e))));
  }
  return { fast, reference, slow: slow(), count: r.count };
}

const row = (ts: string, msg: string): string => `${ts} node-1 kernel: [  1.000000] ${msg}`;

test('NPD syslog lines: the parser\'s answers, without asking the parser for the plain ones', () => {
  const lines = [row('May 14 10:00:00', 'eth0 up'), row('May 14 10:00:00', 'eth0 down'), row('May 14 10:00:01', 'x'), row('May 14 10:00:01', '~')];
  const { fast, reference, slow } = both(kern, `${lines.join('\n')}\n`);
  expect(fast).toEqual(reference);
  expect(fast[0]).toEqual({ timeMs: Date.parse('2026-05-14T10:00:00Z'), empty: false });
  expect(fast[2]).toEqual({ timeMs: Date.parse('2026-05-14T10:00:01Z'), empty: false });
  expect(slow).toBe(0);
});

test('in another zone, with no live "now": the same answers', () => {
  const { fast, reference, slow } = both(kern, `${row('May 14 10:00:00', 'a')}\n${row('May 14 10:00:00', 'b')}\n`, 'Asia/Kolkata');
  expect(fast).toEqual(reference);
  expect(fast[0]).toEqual({ timeMs: Date.parse('2026-05-14T04:30:00Z'), empty: false });
  expect(slow).toBe(0);
});

test.each([
  ['an empty message', row('May 14 10:00:00', '')],
  ['a message of blanks', row('May 14 10:00:00', '   ')],
  ['a message after blanks', row('May 14 10:00:00', '  text')],
  ['a message starting with a control character', row('May 14 10:00:00', '\tx')],
  ['a non-ASCII message', row('May 14 10:00:00', 'é')],
  ['a DEL', row('May 14 10:00:00', '\x7f')],
  ['no kernel tag', 'May 14 10:00:00 node-1 systemd[1]: started'],
  ['a timestamp the layout cannot read', row('Foo 14 10:00:00', 'x')],
  ['a line shorter than the timestamp', 'May 14'],
  ['a line as long as the timestamp', 'May 14 10:00:00'],
  ['an RFC 3339 prefix (the parser\'s fallback)', '2026-05-14T10:00:00+00:00 node-1 kernel: [  1.0] x'],
])('%s: the parser\'s answer', (_name, line) => {
  const { fast, reference, slow } = both(kern, `${row('May 14 09:00:00', 'before')}\n${line}\n`);
  expect(fast).toEqual(reference);
  expect(slow).toBe(1);
});

test('a CRLF line and a line too long for the JIT go to the parser, and so does a line without its newline', () => {
  const long = row('May 14 10:00:00', 'x'.repeat(3000));
  const { fast, reference, slow } = both(kern, `${row('May 14 10:00:00', 'a')}\r\n${long}\n`);
  expect(fast).toEqual(reference);
  expect(fast[1]).toEqual({ timeMs: Date.parse('2026-05-14T10:00:00Z'), empty: false });
  expect(slow).toBe(2);
  const { ranges, slow: slowLast } = setup(kern);
  const last = row('May 14 10:00:00', 'b');
  expect(ranges.describe(last, 0, last.length)).toEqual({ timeMs: Date.parse('2026-05-14T10:00:00Z'), empty: false });
  expect(slowLast()).toBe(1);
});

test('a head that could run into the next line (`\\s*` over a newline) ends inside its line or goes to the parser', () => {
  const cfg = { ...kern, message: 'kernel: \\[\\s*[0-9.]+\\] (.*)' };
  const text = `${row('May 14 10:00:00', '')}\nMay 14 10:00:00 node-1 kernel: [\n  2.0] next\n${row('May 14 10:00:00', 'x')}\n`;
  const { fast, reference } = both(cfg, text);
  expect(fast).toEqual(reference);
});

test.each([
  ['a timestamp that is not `^.{N}`', { ...kern, timestamp: '^\\S+ \\S+ \\S+' }],
  ['a message that is not `head(.*)`', { ...kern, message: 'kernel: (.*) end' }],
  ['a head anchored at the start', { ...kern, message: '^\\S+ \\S+ \\S+ node-1 kernel: \\[.*\\] (.*)' }],
  ['a head with a word boundary', { ...kern, message: '\\bkernel: \\[.*\\] (.*)' }],
  ['a head with an end anchor', { ...kern, message: 'kernel: \\[.*$\\] (.*)' }],
])('%s: every line goes to the parser', (_name, cfg) => {
  const { ranges, slow } = setup(cfg);
  const text = `${row('May 14 10:00:00', 'a')}\n${row('May 14 10:00:00', 'b')}\n`;
  const r = createLineSplitter(1 << 20, () => {}).ranges(text);
  ranges.describe(r.text, 0, r.bounds[1] as number);
  expect(ranges.sameRun(r, 1, -1)).toBe(0);
  expect(slow()).toBe(1);
});

describe('sameRun', () => {
  const text = `${[row('May 14 10:00:00', 'a'), row('May 14 10:00:00', 'b'), row('May 14 10:00:00', 'c'), row('May 14 10:00:01', 'd'), row('May 14 10:00:01', 'e')].join('\n')}\n`;
  const lines = () => createLineSplitter(1 << 20, () => {}).ranges(text);

  test('counts the lines after the one described with the same timestamp text, up to one that differs', () => {
    const { ranges } = setup(kern);
    const r = lines();
    ranges.describe(r.text, r.bounds[0] as number, r.bounds[1] as number);
    expect(ranges.sameRun(r, 1, -1)).toBe(2);
    ranges.describe(r.text, r.bounds[6] as number, r.bounds[7] as number);
    expect(ranges.sameRun(r, 4, -1)).toBe(1);
  });

  test('stops before the line holding the hit position, not before one whose end is at it', () => {
    const { ranges } = setup(kern);
    const r = lines();
    ranges.describe(r.text, r.bounds[0] as number, r.bounds[1] as number);
    expect(ranges.sameRun(r, 1, (r.bounds[4] as number) + 3)).toBe(1);
    expect(ranges.sameRun(r, 1, r.bounds[3] as number)).toBe(1);
    expect(ranges.sameRun(r, 1, (r.bounds[3] as number) - 1)).toBe(0);
  });

  test('stops at an empty message and at a line that is not plain', () => {
    const { ranges } = setup(kern);
    const r = createLineSplitter(1 << 20, () => {}).ranges(`${row('May 14 10:00:00', 'a')}\n${row('May 14 10:00:00', 'b')}\n${row('May 14 10:00:00', '')}\n${row('May 14 10:00:00', 'c')}`);
    ranges.describe(r.text, 0, r.bounds[1] as number);
    expect(ranges.sameRun(r, 1, -1)).toBe(1);
    expect(ranges.sameRun(r, 3, -1)).toBe(0);
  });

  test('0 after a line that went to the parser, and when "now" moved since', () => {
    let now = NOW;
    const { ranges } = setup(kern, () => now);
    const r = createLineSplitter(1 << 20, () => {}).ranges(`${row('May 14 10:00:00', '')}\n${row('May 14 10:00:00', 'b')}\n${row('May 14 10:00:00', 'c')}\n`);
    ranges.describe(r.text, 0, r.bounds[1] as number);
    expect(ranges.sameRun(r, 1, -1)).toBe(0);
    ranges.describe(r.text, r.bounds[2] as number, r.bounds[3] as number);
    expect(ranges.sameRun(r, 2, -1)).toBe(1);
    now += 1;
    expect(ranges.sameRun(r, 2, -1)).toBe(0);
  });
});

test('a "now" that moves past a day changes the year of the same timestamp text', () => {
  let now = Date.parse('2026-05-13T00:00:00Z');
  const { ranges } = setup(kern, () => now);
  const text = `${row('May 14 10:00:00', 'a')}\n${row('May 14 10:00:00', 'b')}\n`;
  expect(ranges.describe(text, 0, text.indexOf('\n'))?.timeMs).toBe(Date.parse('2025-05-14T10:00:00Z'));
  now = Date.parse('2026-05-14T00:00:00Z');
  expect(ranges.describe(text, text.indexOf('\n') + 1, text.length - 1)?.timeMs).toBe(Date.parse('2026-05-14T10:00:00Z'));
});
