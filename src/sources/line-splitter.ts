/**
 * Cuts decoded text into lines for the filelog source: `\n` or `\r\n` ends a line, a line longer
 * than the limit is cut (the rest up to its newline is dropped) so no input can grow a string
 * without bound.
 */

/** Splits decoded text into lines, cutting a line longer than `max` (the rest up to `\n` is dropped). */
export function createLineSplitter(max: number, onCut: () => void): { push(text: string): string[]; takePartial(): string } {
  let partial = '';
  let cutting = false;
  return {
    push(text) {
      const out: string[] = [];
      let start = 0;
      for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
        if (cutting) cutting = false;
        else {
          const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl; // CRLF
          let line = partial === '' ? text.slice(start, end) : partial + text.slice(start, nl);
          if (partial !== '' && line.endsWith('\r')) line = line.slice(0, -1);
          if (line.length > max) {
            line = line.slice(0, max);
            onCut();
          }
          out.push(line);
        }
        partial = '';
        start = nl + 1;
      }
      if (!cutting) {
        partial += text.slice(start);
        if (partial.length > max) {
          out.push(partial.slice(0, max));
          partial = '';
          cutting = true;
          onCut();
        }
      }
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
