/**
 * Memory and CPU of the whole agent process, to size the DaemonSet's requests and limits. Runs the
 * built CLI standalone (console exporter) with monitors/kernel-monitor-filelog.json pointed at a
 * temp kern.log and the /proc probe monitors (fd, pid, inodes, ntp, conntrack), then: idle 15 s;
 * a steady flood of 10,000 lines/s for 10 s (batches every ~10 ms); a burst of 1,000,000 lines
 * appended at once, timed until the agent has read them all; idle 15 s again. Lines read are
 * `npd_source_lines_read_total` scraped from its /metrics, and each flood/burst waits until
 * read == written, so nothing was lost. CPU is utime+stime of /proc/<pid>/stat; RSS and VmHWM are
 * from /proc/<pid>/status, with VmHWM reset at the start of each phase. The whole run is repeated
 * with `--max-semi-space-size=1` (a candidate for the image's NODE_OPTIONS). Loopback and temp dirs only.
 *
 *   npm run build && node dist/bench/agent-footprint.js [burstLines=1000000] [floodLinesPerSecond=10000]
 */
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { healthMetrics } from '../src/exporters/prometheus/metric-catalog.js';
import { freePort } from '../test/helpers/net.js';
import { kernLogText, syslogStamp } from './helpers/kern-log-lines.js';
import { readClockTicks, readProcUsage, resetPeakRss, type ProcUsage } from './helpers/proc-usage.js';

const burstLines = Number(process.argv[2] ?? 1_000_000);
const floodRate = Number(process.argv[3] ?? 10_000);
const floodSeconds = 10;
const idleSeconds = 15;
/** Longest wait for the agent to catch up after a flood or burst. */
const drainTimeoutMs = 60_000;

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const node = join(root, 'node_modules/.bin/node');
const cli = join(root, 'dist/src/app/cli.js');
const kernelMonitor = join(root, 'monitors/kernel-monitor-filelog.json');
const probeMonitors = ['fd', 'pid', 'inodes', 'ntp', 'conntrack'].map((n) => join(root, 'monitors', `${n}-monitor.json`));
const hz = readClockTicks();
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** One row of the table. */
interface Row {
  readonly variant: string;
  readonly phase: string;
  readonly seconds: number;
  readonly written: number;
  readonly read: number;
  readonly cpuPercent: number;
  readonly rssMib: number;
  readonly hwmMib: number;
}

/** A running agent. */
interface Agent {
  readonly pid: number;
  /** Sum of `npd_source_lines_read_total` for the kernel monitor's source. */
  linesRead(): Promise<number>;
  /** Throws (with the tail of stderr) when the agent has exited. */
  assertAlive(): void;
  /** SIGTERM, SIGKILL after 5 s; resolves on exit. */
  stop(): Promise<void>;
}

/** Agents still running, killed if this process exits early. */
const running = new Set<{ kill(signal: NodeJS.Signals): boolean }>();
process.on('exit', () => running.forEach((c) => c.kill('SIGKILL')));
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));

/** Sum of a counter's samples whose labels include `source="…"`, from Prometheus text. */
function parseCounterForSource(text: string, name: string, source: string): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) || !line.includes(`source="${source}"`)) continue;
    sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

async function startAgent(nodeFlags: readonly string[], kernMonitorPath: string, source: string, dir: string): Promise<Agent> {
  const [port, promPort] = [await freePort(), await freePort()];
  const args = [
    '--disable-sigusr1',
    '--enable-experimental-regexp-engine-on-excessive-backtracks',
    ...nodeFlags,
    cli,
    'run',
    '--standalone',
    `--config.system-log-monitor=${kernMonitorPath}`,
    `--config.custom-plugin-monitor=${probeMonitors.join(',')}`,
    '--address=127.0.0.1',
    `--port=${port}`,
    '--prometheus-address=127.0.0.1',
    `--prometheus-port=${promPort}`,
    `--state-dir=${join(dir, 'state')}`,
  ];
  const child = spawn(node, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let stderr = '';
  let exit: string | undefined;
  const exited = new Promise<void>((r) =>
    child.on('close', (code, signal) => {
      exit = String(code ?? signal);
      running.delete(child);
      r();
    }),
  );
  child.stdout.resume(); // one line per event; drained so the agent never blocks on a full pipe
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-16_384)));
  const assertAlive = (): void => {
    if (exit !== undefined) throw new Error(`agent exited (${exit}); stderr:\n${stderr}`);
  };
  const deadline = performance.now() + 30_000;
  while (!stderr.includes('npd-ts running')) {
    assertAlive();
    if (performance.now() > deadline) throw new Error(`agent did not start in 30 s; stderr:\n${stderr}`);
    await sleep(20);
  }
  const metricsUrl = `http://127.0.0.1:${promPort}/metrics`;
  return {
    pid: child.pid as number,
    assertAlive,
    async linesRead() {
      const res = await fetch(metricsUrl);
      if (!res.ok) throw new Error(`GET ${metricsUrl}: ${res.status}`);
      return parseCounterForSource(await res.text(), healthMetrics.linesRead.name, source);
    },
    async stop() {
      if (exit !== undefined) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Runs every phase against a new agent started with `nodeFlags`. */
async function runVariant(variant: string, nodeFlags: readonly string[]): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'npd-footprint-'));
  const logPath = join(dir, 'kern.log');
  writeFileSync(logPath, '');
  const monitor = JSON.parse(readFileSync(kernelMonitor, 'utf8')) as { source: string; logPath: string };
  monitor.logPath = logPath;
  const monitorPath = join(dir, 'kernel-monitor-filelog.json');
  writeFileSync(monitorPath, JSON.stringify(monitor, null, 2));

  const rows: Row[] = [];
  let nextLine = 0;
  let writtenTotal = 0;
  const append = (count: number): void => {
    appendFileSync(logPath, kernLogText(syslogStamp(Date.now()), nextLine, count));
    nextLine += count;
    writtenTotal += count;
  };

  const t0 = performance.now();
  const agent = await startAgent(nodeFlags, monitorPath, monitor.source, dir);
  try {
    const row = (phase: string, seconds: number, before: ProcUsage, after: ProcUsage, written: number, read: number): void => {
      const cpuPercent = ((after.cpuTicks - before.cpuTicks) / hz / seconds) * 100;
      rows.push({ variant, phase, seconds, written, read, cpuPercent, rssMib: after.rssKib / 1024, hwmMib: after.hwmKib / 1024 });
    };
    row('startup', (performance.now() - t0) / 1000, { cpuTicks: 0, rssKib: 0, hwmKib: 0 }, readProcUsage(agent.pid), 0, await agent.linesRead());

    /** Polls /metrics until the agent has read every line written so far. */
    const drain = async (): Promise<number> => {
      const deadline = performance.now() + drainTimeoutMs;
      for (;;) {
        agent.assertAlive();
        const read = await agent.linesRead();
        if (read >= writtenTotal || performance.now() > deadline) return read;
        await sleep(50);
      }
    };
    const phase = async (name: string, body: () => Promise<void>): Promise<void> => {
      resetPeakRss(agent.pid);
      const before = readProcUsage(agent.pid);
      const written0 = writtenTotal;
      const read0 = await agent.linesRead();
      const start = performance.now();
      await body();
      const read = await drain();
      const seconds = (performance.now() - start) / 1000;
      row(name, seconds, before, readProcUsage(agent.pid), writtenTotal - written0, read - read0);
    };

    await phase(`idle ${idleSeconds} s after start`, () => sleep(idleSeconds * 1000));
    await phase(`flood ${floodRate.toLocaleString('en-US')}/s × ${floodSeconds} s`, async () => {
      const total = floodRate * floodSeconds;
      const start = performance.now();
      for (let sent = 0; sent < total; ) {
        await sleep(10);
        const due = Math.min(total, Math.floor(((performance.now() - start) * floodRate) / 1000));
        if (due > sent) {
          append(due - sent);
          sent = due;
        }
      }
    });
    // Generated before the phase, so the timing covers only the agent reading it.
    const burst = Buffer.from(kernLogText(syslogStamp(Date.now()), nextLine, burstLines));
    await phase(`burst ${burstLines.toLocaleString('en-US')} lines at once`, async () => {
      await appendFile(logPath, burst); // async: our loop keeps draining the agent's stdout meanwhile
      nextLine += burstLines;
      writtenTotal += burstLines;
    });
    await phase(`idle ${idleSeconds} s after burst`, () => sleep(idleSeconds * 1000));
    agent.assertAlive();
  } finally {
    await agent.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

const variants: [string, string[]][] = [
  ['default', []],
  ['--max-semi-space-size=1', ['--max-semi-space-size=1']],
];
const rows: Row[] = [];
for (const [name, flags] of variants) rows.push(...(await runVariant(name, flags)));

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const lost = rows.some((r) => r.read !== r.written && r.phase !== 'startup');
console.log(
  `agent footprint: node ${process.version}, ${cpus().length} CPUs, CLK_TCK ${hz}; kernel-monitor-filelog (temp kern.log) + probes ${probeMonitors.map((p) => p.split('/').pop()).join(', ')}; console exporter`,
);
console.log('CPU % is of one core over the phase; RSS at the end of the phase; peak = VmHWM since the start of the phase');
const header = `${'variant'.padEnd(24)} ${'phase'.padEnd(34)} ${'seconds'.padStart(8)} ${'written'.padStart(10)} ${'read'.padStart(10)} ${'CPU %'.padStart(6)} ${'RSS MiB'.padStart(8)} ${'peak MiB'.padStart(9)}`;
console.log(header);
for (const r of rows) {
  console.log(
    `${r.variant.padEnd(24)} ${r.phase.padEnd(34)} ${r.seconds.toFixed(2).padStart(8)} ${fmt(r.written).padStart(10)} ${fmt(r.read).padStart(10)} ${r.cpuPercent.toFixed(1).padStart(6)} ${r.rssMib.toFixed(1).padStart(8)} ${r.hwmMib.toFixed(1).padStart(9)}`,
  );
}
if (lost) {
  console.log(`lines lost or not read within ${drainTimeoutMs / 1000} s: see rows where read ≠ written`);
  process.exitCode = 1;
}
