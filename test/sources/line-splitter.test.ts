/** Cutting decoded file text into lines: newlines, CRLF, pieces that split a line, and the length cap. */
import { createLineSplitter } from '../../src/sources/line-splitter.js';

function splitter(max = 100) {
  let cuts = 0;
  const s = createLineSplitter(max, () => cuts++);
  return { s, cuts: () => cuts };
}

test('\\n and \\r\\n end a line; a lone \\r stays in it; the text after the last newline waits', () => {
  const { s } = splitter();
  expect(s.push('a\nb\r\nc\rd\n\r\n\nrest')).toEqual(['a', 'b', 'c\rd', '', '']);
  expect(s.takePartial()).toBe('rest');
  expect(s.takePartial()).toBe('');
});

test('a line split over pieces comes out once, whole, and a \\r\\n split between pieces is still one ending', () => {
  const { s } = splitter();
  expect(s.push('ab')).toEqual([]);
  expect(s.push('c\r')).toEqual([]);
  expect(s.push('\nd\n')).toEqual(['abc', 'd']);
});

test('ranges point into the text, the held partial line first', () => {
  const { s } = splitter();
  s.ranges('x');
  const r = s.ranges('y\nzz\n');
  expect(r.text).toBe('xy\nzz\n');
  expect(r.count).toBe(2);
  expect([...r.bounds.slice(0, 4)]).toEqual([0, 2, 3, 5]);
});

test('a line longer than the cap is cut at it and counted once; the rest up to its newline is dropped', () => {
  const { s, cuts } = splitter(5);
  expect(s.push('12345\n123456\nab\n')).toEqual(['12345', '12345', 'ab']);
  expect(cuts()).toBe(1);
});

test('a partial line over the cap is given out cut at once, and its rest in the next pieces is dropped', () => {
  const { s, cuts } = splitter(5);
  expect(s.push('1234567')).toEqual(['12345']);
  expect(s.push('89')).toEqual([]);
  expect(s.push('0\nnext\nlast')).toEqual(['next']);
  expect(cuts()).toBe(1);
  expect(s.takePartial()).toBe('last');
});

test('a partial line of exactly the cap waits for its newline and is not cut', () => {
  const { s, cuts } = splitter(5);
  expect(s.push('12345')).toEqual([]);
  expect(s.push('\n')).toEqual(['12345']);
  expect(cuts()).toBe(0);
});

test('a partial line held over pieces is cut when it grows over the cap', () => {
  const { s, cuts } = splitter(5);
  expect(s.push('123')).toEqual([]);
  expect(s.push('456')).toEqual(['12345']);
  expect(s.push('\nok\n')).toEqual(['ok']);
  expect(cuts()).toBe(1);
});

test('takePartial after a cut line starts afresh: the next piece is a new line', () => {
  const { s } = splitter(5);
  expect(s.push('1234567')).toEqual(['12345']);
  expect(s.takePartial()).toBe('');
  expect(s.push('ab\n')).toEqual(['ab']);
});

test('more lines than the first bounds buffer holds (1,024 numbers): every one comes out', () => {
  const { s } = splitter();
  const text = Array.from({ length: 3000 }, (_, i) => `${i}\n`).join('');
  const lines = s.push(text);
  expect(lines).toHaveLength(3000);
  expect(lines[2999]).toBe('2999');
  expect(s.push('a\nb\n')).toEqual(['a', 'b']);
});

test('takePartial after the rest of a cut line was dropped gives nothing of it', () => {
  const { s } = splitter(5);
  expect(s.push('1234567')).toEqual(['12345']);
  expect(s.push('89')).toEqual([]);
  expect(s.takePartial()).toBe('');
});

test.each([513, 2000])('a text of %i empty lines, the most lines for its length: every one comes out empty', (n) => {
  const { s } = splitter();
  expect(s.push('\n'.repeat(n))).toEqual(Array.from({ length: n }, () => ''));
});

