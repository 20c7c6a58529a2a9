/**
 * The flood rows of the footprint bench (bench/agent-footprint.ts): 10,000 kernel lines/s, 1 %
 * matching, through a file and through kmsg records in a FIFO (the real /dev/kmsg only when asked: `device`), each to
 * the built agent as its own process; CPU from /proc/<pid>/stat, wake-ups from its main thread's
 * context switches, lines read and kmsg records lost from its /metrics. A FIFO read returns all the
 * records written so far, the device one record per read: the read cost per record is measured on
 * this machine's /dev/kmsg (its ring, read to EAGAIN, as the agent reads it) and the device flood
 * projected from both.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, readSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { mainThreadSwitches, startAgentProcess, sumSamples, type AgentProcess } from './agent-process.js';
import { kernLines, kmsgRecords, uptimeSeconds, writeBacklogMonitor, writeKmsgMonitor } from './footprint-inputs.js';
import { kmsgDeviceWriter, kmsgReaders } from './kmsg-device.js';
import { drainKmsgRing } from './kmsg-ring.js';
import { readProcUsage } from './proc-usage.js';

/** What the flood phase needs from the bench. */
export interface FloodSettings {
  readonly node: string;
  readonly cli: string;
  readonly dir: string;
  /** Lines a second, and for how many seconds. */
  readonly rate: number;
  readonly seconds: number;
  /** Which floods: `file`, `kmsg` (a FIFO), `device` (this machine's /dev/kmsg, kmsg-device.ts). */
  readonly floods: ReadonlySet<string>;
  /** Where the flooded agents write `--cpu-prof` profiles, if anywhere. */
  readonly profDir?: string;
  /** How the flooded agents run: `--standalone` (problems printed on stdout), or the Kubernetes exporter's flags. */
  readonly modeArgs: readonly string[];
  /** Said in each row's label (e.g. "standalone"). */
  readonly mode: string;
  /** Clock ticks a second (/proc/<pid>/stat). */
  readonly hz: number;
  /** Polls the agent's /metrics until `done`. */
  until(agent: AgentProcess, done: (text: string) => boolean, timeoutMs: number, everyMs: number): Promise<number>;
}

type Row = [figure: string, now: string, target: string, measured: string];
/** Benign records written after the device flood: more than the ring holds (about 2,500 of them on this machine's 128 KiB). */
const RING_FLUSH = 5000;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const linesRead = (text: string, source: string): number => sumSamples(text, 'npd_source_lines_read_total', [`source="${source}"`]);

/** The flood rows: one per flood, and the device projection after the kmsg flood. */
export async function floodRows(s: FloodSettings): Promise<Row[]> {
  const rows: Row[] = [];
  const label = `flood ${s.rate.toLocaleString('en-US')} lines/s × ${s.seconds} s (${s.mode}) through`;
  /** Writes `rate` lines/s for `seconds` s with `write(from, count)`, every 10 ms; returns lines written. */
  const flood = async (write: (from: number, count: number) => Promise<void>): Promise<number> => {
    const total = s.rate * s.seconds;
    const start = performance.now();
    for (let sent = 0; sent < total; ) {
      await sleep(10);
      const due = Math.min(total, Math.floor(((performance.now() - start) * s.rate) / 1000));
      if (due > sent) {
        await write(sent, due - sent);
        sent = due;
      }
    }
    return total;
  };
  /** Floods one agent; its CPU in % of a core. */
  const run = async (name: string, monitor: string, source: string, write: (from: number, count: number) => Promise<void>): Promise<number> => {
    const nodeFlags = s.profDir ? ['--cpu-prof', `--cpu-prof-dir=${resolve(s.profDir)}`] : [];
    const agent = await startAgentProcess(s.node, s.cli, [...s.modeArgs, '--no-reload', '--log-level=warn', `--config.system-log-monitor=${monitor}`], { cwd: s.dir, nodeFlags });
    try {
      await sleep(2000);
      // Lines read before the flood: the device's ring holds this machine's own records.
      const before = linesRead(await agent.metrics(), source);
      const [u0, w0] = [readProcUsage(agent.pid), mainThreadSwitches(agent.pid)];
      const t0 = performance.now();
      const written = await flood(write);
      // Records overwritten in the device's ring before a read are never read: the row then shows them lost.
      let lostAny = false;
      await s.until(agent, (m) => linesRead(m, source) - before >= written || (lostAny = sumSamples(m, 'npd_kmsg_records_lost_total') > 0), 60_000, 50);
      if (lostAny) await sleep(1000); // the rest of the flood read
      const [u1, w1] = [readProcUsage(agent.pid), mainThreadSwitches(agent.pid)];
      const wall = (performance.now() - t0) / 1000;
      const m = await agent.metrics();
      const read = linesRead(m, source) - before;
      const lost = sumSamples(m, 'npd_kmsg_records_lost_total');
      const cpuS = (u1.cpuTicks - u0.cpuTicks) / s.hz;
      const cpu = (cpuS / wall) * 100;
      const counts = `${read.toLocaleString('en-US')}/${written.toLocaleString('en-US')} read, ${lost} lost`;
      rows.push([`${label} ${name}`, '7–10 %', '≤ 5 %, nothing lost', `${cpu.toFixed(1)} % (${cpuS.toFixed(2)} CPU s in ${wall.toFixed(1)} s wall, ${((w1 - w0) / wall).toFixed(0)} wake-ups/s; ${counts})`]);
      return cpu;
    } finally {
      await agent.stop();
    }
  };

  if (s.floods.has('file')) {
    const logPath = join(s.dir, 'flood-kern.log');
    writeFileSync(logPath, '');
    await run('a file', writeBacklogMonitor(s.dir, logPath, 'file-flood-monitor'), 'file-flood-monitor', async (from, count) => appendFileSync(logPath, kernLines(from, count, Date.now())));
  }
  if (s.floods.has('device')) await deviceFlood(s, run, rows, label);
  if (!s.floods.has('kmsg')) return rows;
  const fifo = join(s.dir, 'kmsg.fifo');
  spawnSync('mkfifo', [fifo]);
  const fh = await open(fifo, 'r+'); // O_RDWR: never blocks, and the agent's reader never sees EOF
  let fifoCpu: number;
  try {
    fifoCpu = await run('kmsg records (FIFO)', writeKmsgMonitor(s.dir, fifo), 'kmsg-flood-monitor', async (from, count) => {
      await fh.write(kmsgRecords(from + 1, count, Math.round(uptimeSeconds() * 1e6)));
    });
  } finally {
    await fh.close();
  }
  const device = await deviceReadCost();
  rows.push([
    `${label} /dev/kmsg, projected: the FIFO figure + one read per record`,
    '',
    '≤ 5 %',
    device
      ? `${(fifoCpu + (s.rate * device.micros) / 1e4).toFixed(1)} % (reading this machine's ring, ${device.records.toLocaleString('en-US')} records, one per read: ${device.micros.toFixed(2)} µs of CPU a record)`
      : 'not measured: /dev/kmsg not readable here',
  ]);
  return rows;
}

/** CPU µs a record of reading this machine's /dev/kmsg ring with `readSync` (kmsg-ring.ts), over `rounds` reads of it. */
async function deviceReadCost(rounds = 20): Promise<{ micros: number; records: number } | undefined> {
  let records = 0;
  const c0 = process.cpuUsage();
  try {
    for (let i = 0; i < rounds; i++) records += (await drainKmsgRing((fh, buf) => readSync(fh.fd, buf, 0, buf.length, null))).records;
  } catch {
    return undefined; // not readable here
  }
  const c = process.cpuUsage(c0);
  return records > 0 ? { micros: (c.user + c.system) / records, records: records / rounds } : undefined;
}

/** The flood written into this machine's /dev/kmsg itself (kmsg-device.ts), when no one else reads it. */
async function deviceFlood(s: FloodSettings, run: (name: string, monitor: string, source: string, write: (from: number, count: number) => Promise<void>) => Promise<number>, rows: Row[], label: string): Promise<void> {
  const readers = kmsgReaders();
  if (readers.length > 0) {
    rows.push([`${label} /dev/kmsg itself`, '', '≤ 5 %', `not run: /dev/kmsg is open in process ${readers.join(', ')}, which the flood would reach`]);
    return;
  }
  let writer: ReturnType<typeof kmsgDeviceWriter>;
  try {
    writer = kmsgDeviceWriter();
  } catch (err) {
    rows.push([`${label} /dev/kmsg itself`, '', '≤ 5 %', `not run: /dev/kmsg not writable here (${(err as Error).message})`]);
    return;
  }
  try {
    await run('/dev/kmsg itself (one write per record)', writeKmsgMonitor(s.dir, '/dev/kmsg', 'device-flood-monitor'), 'device-flood-monitor', async (from, count) => writer.write(from, count));
  } finally {
    writer.flushRing(RING_FLUSH);
    writer.close();
  }
}
