/**
 * A log backlog read under the DaemonSet's memory limit, enforced by the kernel as the kubelet would:
 * the built agent runs in a memory cgroup of its own (manifests/daemonset.yaml: `limits.memory:
 * 160Mi`) with one filelog monitor (3 rules, 1 % problem lines) on a 1 GiB kern.log that was there
 * before it started. Figures from the cgroup (peak charge, times the limit was hit, OOM kills), from
 * /proc/<pid>/status (the agent's peak RSS) and from its /metrics (lines read, problems counted).
 * A control run holds the same file in memory (`fs.readFileSync`) in a cgroup with the same limit,
 * to show the limit is one an unbounded reader does not survive.
 *
 * The file is written by this process before the agent starts, so its page cache is charged to this
 * process's cgroup, as a node's logs are charged to the writer (rsyslog, journald); the agent's
 * cgroup pays for its own memory and for pages it reads that were no longer cached. With
 * `--uncached` the file's pages are dropped from the page cache before the agent starts
 * (`dd oflag=nocache`, this file only), so the agent's cgroup is charged for every page it reads, as
 * for old logs on a node, and the kernel has to reclaim them within the limit.
 *
 *   npm run build && node dist/bench/backlog-memory-limit.js [--mib=1024] [--limit-mib=160] [--uncached]
 *
 * Needs root and a memory cgroup controller (v1 or v2); elsewhere it prints why and exits 0.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMemoryCgroup, dropPageCache, type MemoryCgroup } from '../test/helpers/memory-cgroup.js';
import { startAgentProcess, sumSamples } from './helpers/agent-process.js';
import { writeBacklogFile, writeBacklogMonitor } from './helpers/footprint-inputs.js';

const flags = new Map(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=') as [string, string]));
const mibs = Number(flags.get('mib') ?? 1024);
const limitMib = Number(flags.get('limit-mib') ?? 160);
const uncached = flags.has('uncached');
const MiB = 1024 * 1024;
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const node = join(root, 'node_modules/.bin/node');
const cli = join(root, 'dist/src/app/npd.js');
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
/** Bytes of `path` in the page cache (util-linux fincore), or undefined without it. */
const resident = (path: string): number | undefined => {
  const r = spawnSync('fincore', ['--bytes', '--noheadings', '--output=RES', path], { encoding: 'utf8' });
  return r.status === 0 ? Number(r.stdout.trim()) : undefined;
};
const fmtMib = (bytes: number | undefined): string => (bytes === undefined ? 'n/a' : `${(bytes / MiB).toFixed(1)} MiB`);

const control = createMemoryCgroup('npd-bench-control', limitMib * MiB);
if ('skip' in control) {
  console.log(`skipped: ${control.skip}`);
  process.exit(0);
}
const cgroup = createMemoryCgroup('npd-bench-backlog', limitMib * MiB) as MemoryCgroup;
const dir = mkdtempSync(join(tmpdir(), 'npd-backlog-limit-'));
const rows: [string, string][] = [];
try {
  const logPath = join(dir, 'kern.log');
  const backlog = writeBacklogFile(logPath, mibs * MiB, Date.now());
  rows.push(['backlog', `${fmtMib(backlog.bytes)}, ${backlog.lines.toLocaleString('en-US')} lines, ${backlog.problems.toLocaleString('en-US')} problems`]);
  rows.push(['memory limit (cgroup v' + cgroup.version + ')', `${limitMib} MiB`]);

  // Control: a reader that holds the file.
  const [cmd, args] = control.command([node, '-e', `require('node:fs').readFileSync(${JSON.stringify(logPath)})`]);
  const held = spawnSync(cmd, args, { stdio: 'ignore' });
  rows.push(['control, fs.readFileSync of the file: exit; OOM kills', `${held.signal ?? held.status}; ${control.oomKills()}`]);

  if (uncached) dropPageCache(logPath);
  rows.push(['backlog in the page cache at the agent\'s start (fincore)', fmtMib(resident(logPath))]);
  const source = 'backlog-monitor';
  const monitor = writeBacklogMonitor(dir, logPath, source);
  const t0 = performance.now();
  const agent = await startAgentProcess(node, cli, ['--standalone', '--no-reload', '--log-level=warn', `--config.system-log-monitor=${monitor}`], {
    cwd: dir,
    launch: (argv) => cgroup.command(argv),
  });
  let text = '';
  for (;;) {
    agent.assertAlive();
    text = await agent.metrics();
    if (sumSamples(text, 'problem_counter') >= backlog.problems) break;
    if (performance.now() - t0 > 1_800_000) throw new Error('backlog not read in 30 min');
    await sleep(100);
  }
  const seconds = (performance.now() - t0) / 1000;
  const hwmKib = Number(/^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${agent.pid}/status`, 'utf8'))?.[1]);
  const read = sumSamples(text, 'npd_source_lines_read_total', [`source="${source}"`]);
  const counted = sumSamples(text, 'problem_counter');
  agent.assertAlive();
  await agent.stop();
  rows.push(['agent: start → every problem counted', `${seconds.toFixed(1)} s (${(backlog.lines / seconds / 1e6).toFixed(2)} M lines/s)`]);
  rows.push(['agent: lines read (npd_source_lines_read_total)', `${read.toLocaleString('en-US')} of ${backlog.lines.toLocaleString('en-US')}`]);
  rows.push(['agent: problems counted (problem_counter)', `${counted.toLocaleString('en-US')} of ${backlog.problems.toLocaleString('en-US')}`]);
  rows.push(['agent: cgroup peak charge (memory.' + (cgroup.version === 1 ? 'max_usage_in_bytes' : 'peak') + ')', fmtMib(cgroup.peakBytes())]);
  rows.push(['agent: peak RSS (VmHWM)', fmtMib(hwmKib * 1024)]);
  rows.push(['agent: times the charge hit the limit (' + (cgroup.version === 1 ? 'memory.failcnt' : 'memory.events max') + ')', String(cgroup.limitHits() ?? 'n/a')]);
  rows.push(['agent: OOM kills', String(cgroup.oomKills())]);
} finally {
  await cgroup.remove();
  await control.remove();
  rmSync(dir, { recursive: true, force: true });
}
const width = Math.max(...rows.map(([k]) => k.length));
console.log(`backlog under a memory limit (${new Date().toISOString().slice(0, 10)})`);
for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
