/**
 * The built agent (`dist/src/app/npd.js`) as a separate process, as the DaemonSet runs it, for the
 * footprint bench: start it, know when it serves `/metrics` and `/healthz`, scrape counters, read
 * its CPU, memory and event-loop wake-ups from /proc, stop it.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { freePort } from '../../test/helpers/net.js';

/** A running agent. */
export interface AgentProcess {
  readonly pid: number;
  /** ms from spawn until `/metrics` and `/healthz` both answered 200. */
  readonly readyMs: number;
  /** The `/metrics` text. */
  metrics(): Promise<string>;
  /** The first 64 KiB the agent wrote on stderr (its start-up log). */
  stderrHead(): string;
  /** Throws (with the tail of stderr) when the agent has exited. */
  assertAlive(): void;
  /** SIGTERM, SIGKILL after 5 s; resolves on exit. */
  stop(): Promise<void>;
}

/** Agents still running, killed if this process exits early. */
const running = new Set<{ kill(signal: NodeJS.Signals): boolean }>();
process.on('exit', () => running.forEach((c) => c.kill('SIGKILL')));
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Sum of a metric's samples whose label text includes every `labels` entry, from Prometheus text. */
export function sumSamples(text: string, name: string, labels: readonly string[] = []): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!(line.startsWith(`${name}{`) || line.startsWith(`${name} `))) continue;
    if (!labels.every((l) => line.includes(l))) continue;
    sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(url);
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false;
  }
}

/**
 * Starts `node [nodeFlags] cli run [args] --port=… --prometheus-port=…` on loopback and resolves
 * once both servers answer 200 (polled every 2 ms, so `readyMs` is the start-up a kubelet sees).
 */
export async function startAgentProcess(
  node: string,
  cli: string,
  args: readonly string[],
  options: {
    cwd: string;
    nodeFlags?: readonly string[];
    /** Wraps the command line, e.g. to start the agent inside a memory cgroup; the wrapper must `exec` node (same pid). */
    launch?: (argv: readonly string[]) => [string, string[]];
    /** Added to the environment. */
    env?: NodeJS.ProcessEnv;
  },
): Promise<AgentProcess> {
  const [port, promPort] = [await freePort(), await freePort()];
  const argv = [
    '--disable-sigusr1', // as the image launches it: the CLI turns on the linear-time regexp engine itself
    ...(options.nodeFlags ?? []),
    cli,
    'run',
    ...args,
    '--address=127.0.0.1',
    `--port=${port}`,
    '--prometheus-address=127.0.0.1',
    `--prometheus-port=${promPort}`,
  ];
  const t0 = performance.now();
  const [command, commandArgs] = options.launch?.([node, ...argv]) ?? [node, argv];
  const child = spawn(command, commandArgs, { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'], ...(options.env ? { env: { ...process.env, ...options.env } } : {}) });
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
  child.stdout.resume(); // one line per problem in standalone mode; drained so the agent never blocks
  let head = '';
  child.stderr.on('data', (d: Buffer) => {
    if (head.length < 65_536) head += d.toString();
    stderr = (stderr + d.toString()).slice(-16_384);
  });
  const assertAlive = (): void => {
    if (exit !== undefined) throw new Error(`agent exited (${exit}); stderr:\n${stderr}`);
  };
  const metricsUrl = `http://127.0.0.1:${promPort}/metrics`;
  const healthUrl = `http://127.0.0.1:${port}/healthz`;
  let metricsUp = false;
  let healthUp = false;
  const deadline = t0 + 30_000;
  while (!(metricsUp && healthUp)) {
    assertAlive();
    if (performance.now() > deadline) throw new Error(`agent did not serve in 30 s; stderr:\n${stderr}`);
    [metricsUp, healthUp] = await Promise.all([metricsUp || answers(metricsUrl), healthUp || answers(healthUrl)]);
    if (!(metricsUp && healthUp)) await sleep(2);
  }
  const readyMs = performance.now() - t0;
  return {
    pid: child.pid as number,
    readyMs,
    stderrHead: () => head,
    assertAlive,
    async metrics() {
      const res = await fetch(metricsUrl);
      if (!res.ok) throw new Error(`GET ${metricsUrl}: ${res.status}`);
      return res.text();
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

/**
 * Context switches of the agent's main thread (the event loop): each time `epoll_wait` sleeps and
 * is woken counts one voluntary switch, so their rate is the event loop's wake-ups per second;
 * involuntary ones are preemptions while it runs (more of them the busier the machine).
 */
export function mainThreadSwitchCounts(pid: number, proc = '/proc'): { voluntary: number; involuntary: number } {
  const status = readFileSync(`${proc}/${pid}/task/${pid}/status`, 'utf8');
  const field = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+)$`, 'm').exec(status)?.[1] ?? NaN);
  return { voluntary: field('voluntary_ctxt_switches'), involuntary: field('nonvoluntary_ctxt_switches') };
}

/** Both kinds of {@link mainThreadSwitchCounts}, summed. */
export function mainThreadSwitches(pid: number, proc = '/proc'): number {
  const { voluntary, involuntary } = mainThreadSwitchCounts(pid, proc);
  return voluntary + involuntary;
}
