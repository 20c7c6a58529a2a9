/** Pulling items from an async iterator in tests, with a generous deadline instead of sleeps. */

/** Takes the next `n` items of `it`; rejects if they do not all arrive within `timeoutMs`. */
export async function takeNext<T>(it: AsyncIterator<T>, n: number, timeoutMs = 20_000): Promise<T[]> {
  const out: T[] = [];
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${out.length} of ${n} items`)), timeoutMs);
  });
  try {
    while (out.length < n) {
      const r = await Promise.race([it.next(), deadline]);
      if (r.done) throw new Error(`iterator ended after ${out.length} of ${n} items`);
      out.push(r.value);
    }
    return out;
  } finally {
    clearTimeout(timer);
  }
}
