/** Reading Prometheus text format in tests. */

/** Parses sample lines into `name{labels}` → value (labels as written by prom-client). */
export function parseSamples(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    samples.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return samples;
}

/** `name{a="x",b="y"}` as prom-client prints it (labels in the metric's label order). */
export function series(name: string, labels: Readonly<Record<string, string>> = {}): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  return parts.length ? `${name}{${parts.join(',')}}` : name;
}

/**
 * Drops what varies between runs: Node.js process metrics and the timed samples of duration
 * metrics (their HELP and TYPE lines and histogram `_count`s stay, so names are still guarded).
 */
export function stableMetrics(text: string): string {
  return `${text
    .split('\n')
    .filter((line) => !/^(# (HELP|TYPE) )?npd_(process|nodejs)_/.test(line))
    .filter((line) => !/^npd_\w*_seconds(_bucket|_sum)?[{ ]/.test(line))
    .join('\n')
    .trim()}\n`;
}
