/**
 * Cuts decoded text into lines for the filelog source: `\n` or `\r\n` ends a line, a line longer
 * than the limit is cut (the rest up to its newline is dropped) so no input can grow a string
 * without bound. Lines come as ranges of one text (no string per line) or as strings.
 */

/** The lines of one piece of text: line `i` is `text.slice(bounds[2i], bounds[2i + 1])`. */
export interface LineRanges {
  readonly text: string;
  readonly count: number;
  /** Start and end of each line; reused by the next call of the splitter that made it. */
  readonly bounds: Int32Array;
}

/** A line splitter (see the file comment). */
export interface LineSplitter {
  /** The lines `text` completes, as strings. */
  push(text: string): string[];
  /** The lines `text` completes, as ranges of `text` after the partial line before it (valid until the next call). */
  ranges(text: string): LineRanges;
  /** The partial line held (a file ended without a newline); the splitter starts afresh. */
  takePartial(): string;
}

/** Splits decoded text into lines, cutting a line longer than `max` (the rest up to `\n` is dropped). */
export function createLineSplitter(max: number, onCut: () => void): LineSplitter {
  let partial = '';
  let cutting = false;
  let bounds = new Int32Array(1024);
  const ranges = (chunk: string): LineRanges => {
    const text = partial === '' ? chunk : partial + chunk;
    // At most one line per character, plus a cut partial.
    if (bounds.length < 2 * text.length + 2) bounds = new Int32Array(2 * text.length + 2);
    let count = 0;
    const add = (s: number, e: number): void => {
      if (e - s > max) {
        e = s + max;
        onCut();
      }
      bounds[2 * count] = s;
      bounds[2 * count + 1] = e;
      count++;
    };
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      if (cutting) cutting = false;
      else add(start, nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl); // CRLF
      start = nl + 1;
    }
    partial = '';
    if (!cutting && start < text.length) {
      if (text.length - start > max) {
        add(start, text.length);
        cutting = true;
      } else partial = text.slice(start);
    }
    return { text, count, bounds };
  };
  return {
    ranges,
    push(chunk) {
      const r = ranges(chunk);
      const out: string[] = new Array<string>(r.count);
      for (let i = 0; i < r.count; i++) out[i] = r.text.slice(r.bounds[2 * i] as number, r.bounds[2 * i + 1] as number);
      return out;
    },
    takePartial() {
      const p = partial;
      partial = '';
      cutting = false;
      return p;
    },
  };
}
