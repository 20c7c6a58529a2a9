/**
 * Rotation storms against the filelog source: a writer process appends numbered lines at 5,000
 * lines/s and rotates its file every `interval` ms in one style (rename, delete + recreate,
 * copytruncate) for `seconds`; the source reads in this process. Prints, per style and interval,
 * the lines lost and duplicated, what the source counted (rotations, skips) and warned, and the
 * reader's longest event-loop delay (a file created and deleted while the reader's loop was held up
 * longer than the interval cannot be opened: that loss is counted, not prevented). The writer is a
 * separate process (its own event loop), as logrotate and the logging daemon are.
 *
 *   npm run build && node dist/bench/rotation-storm.js [seconds=10] [intervals=50,1000]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { systemClock } from '../src/core/clock.js';
import { createMemoryLogger } from '../src/core/logger.js';
import { noopTelemetry } from '../src/core/telemetry.js';
import type { Telemetry } from '../src/core/telemetry.js';
import { createFilelogSource } from '../src/sources/filelog.js';

const seconds = Number(process.argv[2] ?? 10);
const intervals = (process.argv[3] ?? '50,1000').split(',').map(Number);
const styles = ['rename', 'delete+recreate', 'copytruncate'] as const;
type Style = (typeof styles)[number];

/** The writer: 50 lines every 10 ms, a rotation every `interval` ms; prints the lines written. */
const writerSource = `
import { appendFileSync, closeSync, copyFileSync, ftruncateSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
const [path, style, interval, seconds] = [process.argv[2], process.argv[3], Number(process.argv[4]), Number(process.argv[5])];
let fd = openSync(path, 'a');
let n = 0, k = 0;
const start = Date.now();
let nextRotation = start + interval;
const tick = () => {
  const now = Date.now();
  const due = Math.floor((now - start) * 5); // 5,000 lines/s
  let text = '';
  while (n < due) text += new Date(now).toISOString() + ' node-1 app: line ' + (n++) + '\\n';
  if (text) writeSync(fd, text);
  if (now >= nextRotation) {
    nextRotation += interval;
    k++;
    if (style === 'rename') { renameSync(path, path + '.' + k); closeSync(fd); fd = openSync(path, 'a'); }
    else if (style === 'delete+recreate') { unlinkSync(path); closeSync(fd); fd = openSync(path, 'a'); }
    else { copyFileSync(path, path + '.' + k); ftruncateSync(fd, 0); }
  }
  if (now - start < seconds * 1000) setTimeout(tick, 2); else { closeSync(fd); console.log(JSON.stringify({ lines: n, rotations: k })); }
};
tick();
`;

interface Row { style: Style; interval: number; rotations: number; lines: number; lost: number; duplicated: number; seenRotations: number; skips: number; skipsBy: Record<string, number>; warnings: number; lagMaxMs: number }

async function run(style: Style, interval: number): Promise<Row> {
  const dir = mkdtempSync(join(tmpdir(), 'npd-storm-'));
  const path = join(dir, 'app.log');
  writeFileSync(path, '');
  const writer = join(dir, 'writer.mjs');
  writeFileSync(writer, writerSource);
  const seen = new Uint8Array(seconds * 5000 + 10_000);
  let rotations = 0;
  let skips = 0;
  const skipsBy: Record<string, number> = {};
  const logger = createMemoryLogger('warn');
  // Lines are lost when the reader's event loop runs too late to open a file before it goes again.
  const lag = monitorEventLoopDelay({ resolution: 5 });
  lag.enable();
  const telemetry: Telemetry = { ...noopTelemetry, fileRotation: () => void rotations++, fileSkip: (_s, reason) => void (skips++, (skipsBy[reason] = (skipsBy[reason] ?? 0) + 1)) };
  const source = createFilelogSource(
    { plugin: 'filelog', file: 'bench.json', source: 'app', logPath: path, lookbackMs: 3_600_000, delayMs: 0, pluginConfig: {} },
    { clock: systemClock, logger, telemetry, bootTimeMs: 0 },
  );
  const ac = new AbortController();
  let lastLineAt = Date.now();
  const reading = (async () => {
    for await (const batch of (source.batches as NonNullable<typeof source.batches>)(ac.signal)) {
      lastLineAt = Date.now();
      for (const l of batch) {
        const i = Number(l.message.slice(l.message.lastIndexOf(' ') + 1));
        if (i < seen.length) seen[i] = Math.min(255, (seen[i] as number) + 1);
      }
    }
  })();
  // The file is open before the writer starts, as for an agent that has been running.
  while (source.health().detail !== `reading ${path}`) await systemClock.sleep(5, ac.signal);
  const child = spawn(process.execPath, [writer, path, style, String(interval), String(seconds)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  await new Promise((resolve) => child.on('exit', resolve));
  const { lines, rotations: rotated } = JSON.parse(out) as { lines: number; rotations: number };
  // Done when every line was seen or nothing came for 2 s.
  for (;;) {
    let have = 0;
    for (let i = 0; i < lines; i++) if ((seen[i] as number) > 0) have++;
    if (have === lines || Date.now() - lastLineAt > 2000) break;
    await systemClock.sleep(100, new AbortController().signal);
  }
  ac.abort();
  await reading;
  let lost = 0;
  let duplicated = 0;
  for (let i = 0; i < lines; i++) {
    const c = seen[i] as number;
    if (c === 0) lost++;
    else duplicated += c - 1;
  }
  lag.disable();
  rmSync(dir, { recursive: true, force: true });
  return { style, interval, rotations: rotated, lines, lost, duplicated, seenRotations: rotations, skips, skipsBy, warnings: logger.records.length, lagMaxMs: lag.max / 1e6 };
}

const rows: Row[] = [];
for (const interval of intervals) for (const style of styles) rows.push(await run(style, interval));
const pct = (a: number, b: number): string => `${((100 * a) / Math.max(1, b)).toFixed(3)} %`;
console.log(`rotation storm: 5,000 lines/s for ${seconds} s, one rotation every interval, writer in its own process`);
console.log('| style | interval | rotations | lines | lost | duplicated | rotations counted | skips counted | warnings logged | reader event-loop lag, max |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of rows) {
  console.log(`| ${r.style} | ${r.interval} ms | ${r.rotations} | ${r.lines} | ${r.lost} (${pct(r.lost, r.lines)}) | ${r.duplicated} (${pct(r.duplicated, r.lines)}) | ${r.seenRotations} | ${r.skips}${r.skips > 0 ? ` (${Object.entries(r.skipsBy).map(([k, v]) => `${k} ${v}`).join(', ')})` : ''} | ${r.warnings} | ${r.lagMaxMs.toFixed(0)} ms |`);
}
