/**
 * The whole agent's footprint, measured as an operator sees it: the built CLI runs as a separate
 * process (as the DaemonSet runs it) and every figure comes from /proc/<pid> and its /metrics.
 * Printed beside `grep -E` and the "now" figures of issue 10.
 *
 * - start-up: spawn → `/metrics` and `/healthz` both answer 200 (default profile, Kubernetes exporter).
 * - idle: default profile + Kubernetes exporter on the test apiserver (+ one filelog monitor on a
 *   temp kern.log for the burst): CPU ticks (utime+stime), RSS and event-loop wake-ups (context
 *   switches of the main thread) over `--measure` s after `--warmup` s, in 10 s windows (a range).
 * - burst: 1,000,000 lines appended to that kern.log; RSS `--after-burst` s after it was all read.
 * - catch-up: an agent started on a 1M-line kern.log (1 % problems, 3-rule filelog monitor):
 *   serving → `problem_counter` counts every problem; `grep -E -c` and `npd replay` on the same file.
 * - flood: 10,000 kernel lines/s for `--flood-seconds` s, 1 % matching, through a file and through
 *   kmsg records in a FIFO; read == written and no kmsg records lost; the device flood projected
 *   from the FIFO's and the device's read cost (helpers/flood-phase.ts). `--floods=…,device` also
 *   writes the flood into this machine's real /dev/kmsg (helpers/kmsg-device.ts: only while no
 *   other process reads it; never by default).
 * - apiserver: one more agent with the Kubernetes exporter runs beside the other phases for
 *   `--api-minutes` (default 60) from its spawn; the test apiserver counts its requests
 *   (helpers/apiserver-phase.ts). It ends last: a full run takes that long.
 *
 *   npm run build && node dist/bench/agent-footprint.js [--warmup=120] [--measure=60] [--after-burst=120]
 *     [--flood-seconds=60] [--flood-rate=10000] [--lines=1000000] [--startups=5] [--cli=dist/src/app/npd.js]
 *     [--only=startup,idle,catchup,flood,apiserver] [--api-minutes=60] [--floods=file,kmsg(,device: the real /dev/kmsg)] [--flood-prof=DIR (the flooded agents' --cpu-prof)]
 *     [--flood-k8s (the flooded agents run with the Kubernetes exporter on the test apiserver, as the DaemonSet does, not --standalone)]
 *     [--node-flags=--a,--b] [--agent-env=NAME=value,…] (start-up and idle agents: to compare launch settings)
 *   quick run: --warmup=5 --measure=10 --after-burst=10 --flood-seconds=10 --api-minutes=1
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { kubeconfigPath, kubeletNode, startTestApiserver } from '../test/helpers/test-apiserver.js';
import { mainThreadSwitchCounts, startAgentProcess, sumSamples, type AgentProcess } from './helpers/agent-process.js';
import { startApiserverPhase } from './helpers/apiserver-phase.js';
import { floodRows } from './helpers/flood-phase.js';
import { backlogPatterns, backlogText, writeBacklogMonitor } from './helpers/footprint-inputs.js';
import { parseStatusKib, readClockTicks, readProcUsage } from './helpers/proc-usage.js';

// --name=value (the value may hold '=': --agent-env=A=1,B=2), or a bare --name.
const flags = new Map(process.argv.slice(2).map((a) => /^--([^=]+)(?:=(.*))?$/s.exec(a)?.slice(1) ?? [a]) as [string, string | undefined][]);
const num = (name: string, fallback: number): number => Number(flags.get(name) ?? fallback);
const warmupS = num('warmup', 120);
const measureS = num('measure', 60);
const afterBurstS = num('after-burst', 120);
const floodS = num('flood-seconds', 60);
const floodRate = num('flood-rate', 10_000);
const lines = num('lines', 1_000_000);
const startups = num('startups', 5);
const apiMinutes = num('api-minutes', 60);
const only = new Set((flags.get('only') ?? 'startup,idle,catchup,flood,apiserver').split(','));
const nodeFlags = (flags.get('node-flags') ?? '').split(',').filter(Boolean);
const agentEnv: NodeJS.ProcessEnv = Object.fromEntries((flags.get('agent-env') ?? '').split(',').filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
/** Which floods to run (`file`, `kmsg`), and a directory for the flooded agent's `--cpu-prof` profiles. */
const floods = new Set((flags.get('floods') ?? 'file,kmsg').split(','));
const floodProf = flags.get('flood-prof');

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const node = join(root, 'node_modules/.bin/node');
const cli = resolve(root, flags.get('cli') ?? 'dist/src/app/npd.js');
const hz = readClockTicks();
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const dir = mkdtempSync(join(tmpdir(), 'npd-footprint-'));
const api = await startTestApiserver();
api.addNode(kubeletNode('bench-node'));
const kubeconfig = await api.writeKubeconfig(kubeconfigPath(api, 'bench-kubeconfig'));
const k8sArgs = [`--kubeconfig=${kubeconfig}`, '--hostname-override=bench-node', `--state-dir=${join(dir, 'state')}`, '--log-level=warn'];

/** One row: figure, the issue's "now", the target, what this run measured. */
const table: [string, string, string, string][] = [];
const range = (xs: readonly number[], digits: number, unit = ''): string => {
  const s = [...xs].sort((a, b) => a - b);
  const lo = (s[0] ?? NaN).toFixed(digits);
  const hi = (s.at(-1) ?? NaN).toFixed(digits);
  return `${lo === hi ? lo : `${lo}–${hi}`}${unit}`;
};
const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const mib = (kib: number): number => kib / 1024;
/** RssAnon and RssFile of /proc/<pid>/status. */
const rssParts = (pid: number): string => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return `anonymous ${mib(parseStatusKib(status, 'RssAnon')).toFixed(1)}, file ${mib(parseStatusKib(status, 'RssFile')).toFixed(1)} MiB`;
};

/** Polls /metrics every `everyMs` until `done(text)`; resolves with the time it became true. */
async function until(agent: AgentProcess, done: (text: string) => boolean, timeoutMs: number, everyMs = 10): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    agent.assertAlive();
    const text = await agent.metrics();
    if (done(text)) return performance.now();
    if (performance.now() > deadline) throw new Error(`not done within ${timeoutMs / 1000} s`);
    await sleep(everyMs);
  }
}
const linesRead = (text: string, source: string): number => sumSamples(text, 'npd_source_lines_read_total', [`source="${source}"`]);

async function startupPhase(): Promise<void> {
  // Without Node's compile cache, then with one (as the image has, filled at build): its first start
  // fills it (cold), the others read it (warm).
  const cache = join(dir, 'compile-cache');
  const variants = [
    { name: 'no compile cache', env: { NODE_COMPILE_CACHE: '' }, runs: startups },
    { name: 'compile cache, cold (first start fills it)', env: { NODE_COMPILE_CACHE: cache }, runs: 1 },
    { name: 'compile cache, warm (the image)', env: { NODE_COMPILE_CACHE: cache }, runs: startups },
  ];
  for (const v of variants) {
    const ms: number[] = [];
    const cpuMs: number[] = [];
    const listenMs: number[] = [];
    const listenCpuMs: number[] = [];
    for (let i = 0; i < v.runs; i++) {
      const agent = await startAgentProcess(node, cli, [...k8sArgs, '--log-level=debug'], { cwd: dir, env: { ...agentEnv, ...v.env }, nodeFlags });
      ms.push(agent.readyMs);
      cpuMs.push((readProcUsage(agent.pid).cpuTicks / hz) * 1000); // CPU spent by then (the steadier figure on a shared machine)
      // The agent's own log: time and CPU from its process start to both servers listening.
      const serving = agent.stderrHead().split('\n').find((l) => l.includes('"msg":"serving"'));
      if (serving) {
        const r = JSON.parse(serving) as { sinceStartMs: number; cpuMs: number };
        listenMs.push(r.sinceStartMs);
        listenCpuMs.push(r.cpuMs);
      }
      await agent.stop();
    }
    table.push([
      `start-up to serving /metrics and /healthz (default profile + Kubernetes exporter), ${v.name}`,
      '350–500 ms',
      '≤ 150 ms',
      `listening ${range(listenMs, 0, ' ms')} after the process started (median ${median(listenMs).toFixed(0)}), ${range(listenCpuMs, 0, ' ms')} of CPU; both answered 200 ${range(ms, 0, ' ms')} after spawn (median ${median(ms).toFixed(0)}), ${range(cpuMs, 0, ' ms')} of CPU by then`,
    ]);
  }
}

async function idlePhase(): Promise<void> {
  const logPath = join(dir, 'idle-kern.log');
  writeFileSync(logPath, '');
  const source = 'burst-monitor';
  const monitor = writeBacklogMonitor(dir, logPath, source);
  const agent = await startAgentProcess(node, cli, [...k8sArgs, '--profile=default', `--config.system-log-monitor=${monitor}`], { cwd: dir, env: agentEnv, nodeFlags });
  try {
    await sleep(warmupS * 1000);
    const cpu: number[] = [];
    const wakeups: number[] = [];
    const preempted: number[] = [];
    const windowS = Math.min(10, measureS);
    for (let t = 0; t < measureS; t += windowS) {
      const [u0, w0, t0] = [readProcUsage(agent.pid), mainThreadSwitchCounts(agent.pid), performance.now()];
      await sleep(windowS * 1000);
      const [u1, w1, s] = [readProcUsage(agent.pid), mainThreadSwitchCounts(agent.pid), (performance.now() - t0) / 1000];
      cpu.push(((u1.cpuTicks - u0.cpuTicks) / hz / s) * 100);
      wakeups.push((w1.voluntary - w0.voluntary) / s);
      preempted.push((w1.involuntary - w0.involuntary) / s);
    }
    agent.assertAlive();
    const idle = readProcUsage(agent.pid);
    const allCpu = cpu.reduce((a, b) => a + b, 0) / cpu.length;
    table.push([`idle CPU, ${warmupS} s warm-up, ${measureS} s in ${windowS} s windows (% of a core)`, '1.5 %', '≤ 0.2 %', `${range(cpu, 2, ' %')} (mean ${allCpu.toFixed(2)} %)`]);
    table.push(['event-loop wake-ups per second at idle (main-thread voluntary context switches)', '~220', '≤ 20', `${range(wakeups, 1)} (and ${range(preempted, 1)} preemptions/s: the machine's load)`]);
    table.push(['idle RSS (anonymous; file-backed: the node binary and libraries)', '85 MiB', '≤ 60 MiB', `${mib(idle.rssKib).toFixed(1)} MiB (${rssParts(agent.pid)})`]);

    const { text } = backlogText(lines, Date.now());
    appendFileSync(logPath, text);
    await until(agent, (m) => linesRead(m, source) >= lines, 120_000, 100);
    const peak = readProcUsage(agent.pid).hwmKib;
    await sleep(afterBurstS * 1000);
    const after = readProcUsage(agent.pid);
    table.push([
      `RSS ${afterBurstS} s after a ${lines.toLocaleString('en-US')}-line burst (peak VmHWM ${mib(peak).toFixed(0)} MiB)`,
      '98 MiB',
      '≤ 1.25 × idle',
      `${mib(after.rssKib).toFixed(1)} MiB (${(after.rssKib / idle.rssKib).toFixed(2)} × idle; ${rssParts(agent.pid)})`,
    ]);
  } finally {
    await agent.stop();
  }
}

/** CPU seconds of this process's waited-for children (cutime + cstime of /proc/self/stat). */
function childCpuSeconds(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[13]) + Number(fields[14])) / hz;
}

/** Runs a command to its end; wall and CPU seconds. */
function timed(cmd: string, args: readonly string[], check: (stdout: string) => void): { wall: number; cpu: number } {
  const [c0, t0] = [childCpuSeconds(), performance.now()];
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0 && !(cmd === 'grep' && r.status === 1)) throw new Error(`${cmd} failed (${r.status}): ${r.stderr}`);
  check(r.stdout);
  return { wall: (performance.now() - t0) / 1000, cpu: childCpuSeconds() - c0 };
}

async function catchupPhase(): Promise<void> {
  const logPath = join(dir, 'backlog-kern.log');
  const { text, problems } = backlogText(lines, Date.now());
  writeFileSync(logPath, text);
  const source = 'backlog-monitor';
  const monitor = writeBacklogMonitor(dir, logPath, source);
  const grep = [1, 2, 3].map(() =>
    timed('grep', ['-E', '-c', backlogPatterns.join('|'), logPath], (out) => {
      if (Number(out.trim()) !== problems) throw new Error(`grep counted ${out.trim()}, expected ${problems}`);
    }),
  );
  // `cpu` from when the bench saw the agent serving (on a loaded machine it may look late, after the
  // agent already read part of the file), `totalCpu` from the process start: the steadier figure.
  const agent: { wall: number; cpu: number; total: number; totalCpu: number }[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const a = await startAgentProcess(node, cli, ['--standalone', '--no-reload', '--log-level=warn', `--config.system-log-monitor=${monitor}`], { cwd: dir });
    const [serving, ticks0] = [t0 + a.readyMs, readProcUsage(a.pid).cpuTicks];
    const done = await until(a, (m) => sumSamples(m, 'problem_counter') >= problems, 300_000);
    const ticks = readProcUsage(a.pid).cpuTicks;
    agent.push({ wall: (done - serving) / 1000, cpu: (ticks - ticks0) / hz, total: (done - t0) / 1000, totalCpu: ticks / hz });
    await a.stop();
  }
  const replayArgs = (file: string): string[] => ['--disable-sigusr1', cli, 'replay', `--monitor=${monitor}`, file];
  const empty = join(dir, 'empty.log');
  writeFileSync(empty, '');
  const noCheck = (): void => {};
  const startup = [1, 2].map(() => timed(node, replayArgs(empty), noCheck));
  const [startWall, startCpu] = [Math.min(...startup.map((s) => s.wall)), Math.min(...startup.map((s) => s.cpu))];
  const replay = [1, 2, 3].map(() =>
    timed(node, replayArgs(logPath), (out) => {
      if (!out.includes(`${problems} problems in 1 file`)) throw new Error(`npd replay did not find ${problems} problems: ${out.slice(-200)}`);
    }),
  );
  // Rates in lines per second of wall time and per second of CPU time (the machine is shared:
  // CPU time is the steadier figure).
  const rate = (s: number): number => lines / s / 1e6;
  const best = (xs: readonly number[]): number => Math.max(...xs);
  const grepWall = best(grep.map((g) => rate(g.wall)));
  const grepCpu = best(grep.map((g) => rate(g.cpu)));
  const agentCpu = agent.map((a) => rate(a.cpu));
  const replayCpu = replay.map((r) => rate(Math.max(0.01, r.cpu - startCpu)));
  table.push(['grep -E -c, same file: M lines/s (wall; CPU)', '0.27–0.36 s', '', `${range(grep.map((g) => g.wall), 2, ' s')}: ${grepWall.toFixed(2)} M; ${grepCpu.toFixed(2)} M by CPU`]);
  table.push([
    `backlog catch-up, serving → ${problems.toLocaleString('en-US')} problems counted: M lines/s (wall; CPU)`,
    '~0.7 M (start → counted 1.9–2.5 s)',
    '≥ 0.5 × grep',
    `${range(agent.map((a) => rate(a.wall)), 2, ' M')} = ${range(agent.map((a) => rate(a.wall) / grepWall), 2)} × grep; ${range(agentCpu, 2, ' M')} = ${range(agentCpu.map((r) => r / grepCpu), 2)} × grep by CPU (start → counted ${range(agent.map((a) => a.total), 2, ' s')}, ${range(agent.map((a) => a.totalCpu), 2, ' s')} of CPU)`,
  ]);
  table.push([
    'npd replay, same file, after its start-up: M lines/s (wall; CPU)',
    '0.11 × grep (3.2–3.4 s)',
    'within 10 % of catch-up',
    `${range(replay.map((r) => rate(Math.max(0.01, r.wall - startWall))), 2, ' M')}; ${range(replayCpu, 2, ' M')} = ${range(replayCpu.map((r) => r / median(agentCpu)), 2)} × agent by CPU (${range(replay.map((r) => r.wall), 2, ' s')} with ${startWall.toFixed(2)} s start-up)`,
  ]);
}

try {
  const steady = only.has('apiserver') ? await startApiserverPhase({ node, cli, dir, api, kubeconfig, minutes: apiMinutes, env: agentEnv, nodeFlags }) : undefined;
  if (only.has('startup')) await startupPhase();
  if (only.has('idle')) await idlePhase();
  if (only.has('catchup')) await catchupPhase();
  if (only.has('flood')) {
    // Standalone prints every problem on stdout; `--flood-k8s` runs the agents as the DaemonSet does, with the Kubernetes exporter.
    const mode = flags.has('flood-k8s') ? { mode: 'Kubernetes exporter', modeArgs: k8sArgs.filter((a) => !a.startsWith('--log-level')) } : { mode: 'standalone', modeArgs: ['--standalone'] };
    table.push(...(await floodRows({ node, cli, dir, rate: floodRate, seconds: floodS, floods, profDir: floodProf, hz, until, ...mode })));
  }
  if (steady) table.push(await steady.finish());
} finally {
  await api.close();
  rmSync(dir, { recursive: true, force: true });
}
console.log(`agent footprint: ${cli.replace(`${root}/`, '')} as its own process${nodeFlags.length > 0 ? ` with ${nodeFlags.join(' ')}` : ''}${Object.keys(agentEnv).length > 0 ? `, environment ${Object.entries(agentEnv).map(([k, v]) => `${k}=${v ?? ''}`).join(' ')}` : ''}; node ${process.version}, ${cpus().length} CPUs, CLK_TCK ${hz}; figures from /proc/<pid> and /metrics`);
console.log('| figure | issue 10 "now" | target | measured |');
console.log('|---|---:|---:|---:|');
for (const [figure, now, target, measured] of table) console.log(`| ${figure} | ${now} | ${target} | ${measured} |`);
