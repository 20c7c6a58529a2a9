/**
 * UTF-8 decoding of a byte stream in chunks, like StringDecoder (a character split across chunks
 * is kept for the next one, invalid bytes become U+FFFD), with a fast path for the common case:
 * a chunk of pure ASCII, while no partial character is pending, is copied into a one-byte string
 * without UTF-8 decoding (measured: the decoder was ~10 % of reading a kern.log).
 */
import { isAscii } from 'node:buffer';
import { StringDecoder } from 'node:string_decoder';

/** A chunked UTF-8 decoder. */
export interface Utf8Decoder {
  write(chunk: Buffer): string;
  /** What is pending (an incomplete character becomes U+FFFD), and a fresh start. */
  end(): string;
}

/** Creates a decoder. */
export function createUtf8Decoder(): Utf8Decoder {
  const decoder = new StringDecoder('utf8');
  // Whether the decoder may hold the first bytes of a character: only after a chunk that went
  // through it and ended in a non-ASCII byte.
  let mayHoldPartial = false;
  return {
    write(chunk) {
      if (chunk.length === 0) return '';
      if (!mayHoldPartial && isAscii(chunk)) return chunk.toString('latin1');
      mayHoldPartial = (chunk[chunk.length - 1] as number) >= 0x80;
      return decoder.write(chunk);
    },
    end() {
      mayHoldPartial = false;
      return decoder.end();
    },
  };
}
