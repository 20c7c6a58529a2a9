import { StringDecoder } from 'node:string_decoder';
import { createUtf8Decoder } from '../../src/sources/utf8-decoder.js';

/** Decodes `bytes` cut at every given offset, with ours and with Node's StringDecoder. */
function both(bytes: Buffer, cuts: number[]): [string, string] {
  const ours = createUtf8Decoder();
  const ref = new StringDecoder('utf8');
  let a = '';
  let b = '';
  let at = 0;
  for (const cut of [...cuts, bytes.length]) {
    const piece = bytes.subarray(at, cut);
    a += ours.write(piece);
    b += ref.write(piece);
    at = cut;
  }
  return [a + ours.end(), b + ref.end()];
}

describe('utf8 decoder', () => {
  test('ASCII chunks decode as they are', () => {
    const d = createUtf8Decoder();
    expect(d.write(Buffer.from('kernel: ok\n'))).toBe('kernel: ok\n');
    expect(d.end()).toBe('');
  });

  test('a character split across chunks, then ASCII chunks: the pending bytes are not lost', () => {
    // "é" is C3 A9: the first chunk ends in C3, the next (A9 + ASCII) must complete it.
    const bytes = Buffer.concat([Buffer.from('caf'), Buffer.from([0xc3]), Buffer.from([0xa9]), Buffer.from(' ok\nmore ascii\n')]);
    const [ours, ref] = both(bytes, [4, 5, 10]);
    expect(ours).toBe('café ok\nmore ascii\n');
    expect(ours).toBe(ref);
  });

  test.each([
    ['invalid bytes become U+FFFD', Buffer.from([0x61, 0xff, 0xfe, 0x62, 0x0a]), [1, 2, 3]],
    ['a truncated character at the end', Buffer.from([0x61, 0xe2, 0x82]), [2]],
    ['a lead byte, then a pure-ASCII chunk (the U+FFFD stays in place)', Buffer.from([0x61, 0xc3, 0x62, 0x0a]), [2]],
    ['4-byte characters cut at every byte', Buffer.from('x😀y😀z\n'), [1, 2, 3, 4, 5, 6, 7, 8, 9]],
    ['mixed, cut anywhere', Buffer.from('ascii ünïcödé ascii again 漢字 end\n'), [3, 7, 8, 9, 20, 31, 32, 33]],
  ])('same text as StringDecoder: %s', (_name, bytes, cuts) => {
    const [ours, ref] = both(bytes, cuts);
    expect(ours).toBe(ref);
  });
});

test('a character cut after a byte 0x80, then ASCII: the cut character becomes U+FFFD before the ASCII, not after', () => {
  const d = createUtf8Decoder();
  expect(d.write(Buffer.from([0xf0, 0x90, 0x80])) + d.write(Buffer.from('a')) + d.end()).toBe('\uFFFDa');
});

test('an empty piece gives nothing', () => {
  expect(createUtf8Decoder().write(Buffer.alloc(0))).toBe('');
});

