/**
 * Cost of reading kernel records. (a) This machine's real /dev/kmsg, opened O_NONBLOCK, read from
 * the start of the ring to EAGAIN, one record per read: synchronous `readSync` (what the kmsg
 * source does) against an async `FileHandle.read` per record (a libuv threadpool round trip each,
 * what it did before). (b) The kmsg source's `batches()` over an in-memory device that serves one
 * record per read, through the window and every rule of monitors/kernel-monitor.json: the
 * agent's own cost per record in a flood, without the kernel. /dev/kmsg writes are ratelimited
 * here, so a real flood cannot be made; (b) stands in for it.
 *
 *   npm run build && node --enable-experimental-regexp-engine-on-excessive-backtracks dist/bench/kmsg-drain.js [records=200000] [rounds=20]
 */
import { readSync } from 'node:fs';
import { join } from 'node:path';
import { readMonitorFile } from '../src/config/load-monitor.js';
import type { LogMonitorConfig } from '../src/config/monitor-config.js';
import { systemClock } from '../src/core/clock.js';
import { silentLogger } from '../src/core/logger.js';
import { createRuleEngine } from '../src/monitors/rule-engine.js';
import { createKmsgSource, type KmsgHandle } from '../src/sources/kmsg.js';
import { noopTelemetry } from '../src/core/telemetry.js';
import { kernLogMessage } from './helpers/kern-log-lines.js';
import { drainKmsgRing } from './helpers/kmsg-ring.js';
import { enableLinearRegexpEngine } from '../src/re2/linear-engine.js';

// As the CLI does: rule patterns are checked against, and fall back to, V8's linear-time engine.
enableLinearRegexpEngine();

const total = Number(process.argv[2] ?? 200_000);
const rounds = Number(process.argv[3] ?? 20);
const root = new URL('../../', import.meta.url).pathname;
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

/** Reads the ring from its start to EAGAIN; records read and seconds. */
const drainDevice = (sync: boolean): Promise<{ records: number; seconds: number }> =>
  drainKmsgRing(sync ? (fh, b) => readSync(fh.fd, b, 0, b.length, null) : async (fh, b) => (await fh.read(b, 0, b.length, null)).bytesRead);

console.log(`kmsg: node ${process.version}`);
let device: string;
try {
  const rows: string[] = [];
  for (const sync of [true, false]) {
    let records = 0;
    let seconds = 0;
    for (let i = 0; i < rounds; i++) {
      const r = await drainDevice(sync);
      records += r.records;
      seconds += r.seconds;
    }
    rows.push(`| ${sync ? 'readSync (O_NONBLOCK), the source' : 'async FileHandle.read, per record'} | ${fmt(records / rounds)} | ${((seconds / records) * 1e6).toFixed(2)} | ${fmt(records / seconds)} |`);
  }
  device = ['| /dev/kmsg, ring read to EAGAIN | records | µs / record | records/s |', '|---|---:|---:|---:|', ...rows].join('\n');
} catch (err) {
  device = `/dev/kmsg not readable here (${(err as Error).message}): device rows skipped`;
}
console.log(`(a) this machine's /dev/kmsg, ${rounds} rounds each\n${device}\n`);

// (b) The source and the rules over an in-memory device, one record per read.
const monitor = (await readMonitorFile(join(root, 'monitors/kernel-monitor.json'))) as LogMonitorConfig;
const bootTimeMs = Date.now() - 86_400_000;
const records = Array.from({ length: total }, (_, i) => Buffer.from(`6,${i + 1},${(i + 1) * 1000},-;${kernLogMessage(i)}\n`));
let next = 0;
const memoryDevice = async (): Promise<KmsgHandle> => ({
  read(b) {
    const r = records[next];
    if (r === undefined) throw Object.assign(new Error('EAGAIN'), { code: 'EAGAIN' });
    next++;
    return r.copy(b);
  },
  stat: async () => ({ isCharacterDevice: () => true }),
  close: async () => {},
});
const source = createKmsgSource(
  { plugin: 'kmsg', file: monitor.file, source: monitor.source, logPath: '/dev/kmsg', lookbackMs: Number.POSITIVE_INFINITY, delayMs: 0, pluginConfig: {} },
  { clock: systemClock, logger: silentLogger, telemetry: noopTelemetry, bootTimeMs },
  { open: memoryDevice },
);
const engine = createRuleEngine(monitor, { now: () => Date.now() });
const ac = new AbortController();
let lines = 0;
let matched = 0;
let batches = 0;
const t0 = performance.now();
for await (const batch of source.batches?.(ac.signal) ?? []) {
  batches++;
  for (const line of batch) {
    lines++;
    if (engine.push(line).matches.length > 0) matched++;
  }
  if (lines >= total) break;
}
const seconds = (performance.now() - t0) / 1000;
ac.abort();
console.log(`(b) kmsg source batches() + window + ${monitor.rules.length} rules of kernel-monitor.json, in-memory device, one record per read`);
console.log('| records | batches | matched | seconds | records/s | µs / record |');
console.log('|---:|---:|---:|---:|---:|---:|');
console.log(`| ${fmt(lines)} | ${fmt(batches)} | ${fmt(matched)} | ${seconds.toFixed(3)} | ${fmt(lines / seconds)} | ${((seconds / lines) * 1e6).toFixed(2)} |`);
if (lines !== total) process.exitCode = 1;
