/**
 * NPD custom plugins: run an executable, map its exit code to a {@link ProbeResult} (0 ok, 1
 * problem, anything else unknown), as NPD's `pkg/custompluginmonitor/plugin/plugin.go` does.
 *
 * - No shell: `spawn(path, args)` in its own process group (`detached`), with a minimal
 *   environment (PATH only; NPD passes its whole environment, which in a pod includes the service
 *   account's API address and anything else set on the DaemonSet).
 * - Timeout on the injected clock: SIGKILL to the whole group (`-pid`), so children that outlive
 *   the plugin die too, and to every descendant that left the group (`setsid`, `setpgid`), found
 *   by parent chain, session and a per-run marker in the environment (plugin-processes.ts). After
 *   a normal exit they are swept the same way: a check must not leave processes behind. (Their
 *   zombies are reaped by the image's init, tini: as PID 1, Node would never wait for them.)
 * - At most 4 KiB of stdout and of stderr are kept; the rest is read and discarded so the plugin
 *   never blocks on a full pipe. stdout is trimmed and cut to `maxOutputLength` bytes.
 */
import { spawn } from 'node:child_process';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { ProbeResult } from './probe.js';
import { findPluginProcesses, pluginRunVariable, readUptimeTicks } from './plugin-processes.js';
import type { PluginRun } from './plugin-processes.js';

/** Bytes kept of each of stdout and stderr. */
export const pluginOutputCapBytes = 4096;

/** How long to wait for the pipes to close after killing a timed-out plugin's group. */
const closeGraceMs = 1000;

/** PATH given to plugins. */
export const pluginPath = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Options of {@link runPlugin}. */
export interface ExecOptions {
  /** Kill the plugin's process group after this long. */
  readonly timeoutMs: number;
  /** Bytes of trimmed stdout kept as the message. @default 80 */
  readonly maxOutputLength?: number;
  readonly clock: Clock;
  /** Stops the plugin early (the monitor is stopping). */
  readonly signal?: AbortSignal;
  /** The plugin's environment (plus the run's marker). @default { PATH: pluginPath } */
  readonly env?: Readonly<Record<string, string>>;
  /** The agent's own procfs, where the plugin's descendants are looked for. @default '/proc' */
  readonly procRoot?: string;
  readonly logger?: Logger;
}

/** Cuts `text` to at most `maxBytes` UTF-8 bytes without splitting a character. */
export function cutOutput(text: string, maxBytes: number): string {
  const buf = Buffer.from(text, 'utf8');
  if (buf.length <= maxBytes) return text;
  let end = Math.max(0, maxBytes);
  while (end > 0 && ((buf[end] as number) & 0xc0) === 0x80) end--;
  return buf.subarray(0, end).toString('utf8');
}

/** Go's `ProcessState.String()` for how a process ended. */
export function processState(code: number | null, signal: NodeJS.Signals | null): string {
  if (signal === 'SIGKILL') return 'signal: killed';
  if (signal === 'SIGTERM') return 'signal: terminated';
  if (signal) return `signal: ${signal}`;
  return `exit status ${code ?? -1}`;
}

function capture(stream: NodeJS.ReadableStream | null): () => Buffer {
  const chunks: Buffer[] = [];
  let size = 0;
  stream?.on('data', (chunk: Buffer) => {
    if (size >= pluginOutputCapBytes) return; // drained and discarded
    const keep = chunk.subarray(0, pluginOutputCapBytes - size);
    chunks.push(keep);
    size += keep.length;
  });
  stream?.on('error', () => {});
  return () => Buffer.concat(chunks);
}

function kill(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // ESRCH: already gone.
  }
}

/** Rounds of find-and-kill: a descendant may fork between a scan and its kill. */
const sweepRounds = 5;

/** Kills the plugin's group, then every process of the run that escaped it, until none is left. */
async function sweep(run: PluginRun | undefined, procRoot: string): Promise<void> {
  if (run === undefined) return;
  kill(-run.pid);
  for (let round = 0; round < sweepRounds; round++) {
    const left = await findPluginProcesses(procRoot, run);
    if (left.length === 0) return;
    for (const pid of left) kill(pid);
  }
}

/** Numbers the runs of this process for their markers (an identity, not behaviour: the only module state). */
let runCount = 0;

/**
 * Runs one NPD custom plugin once.
 * @example await runPlugin('/config/plugin/check_ntp.sh', [], { timeoutMs: 5000, clock: systemClock })
 */
export async function runPlugin(path: string, args: readonly string[], options: ExecOptions): Promise<ProbeResult> {
  const maxOutput = options.maxOutputLength ?? 80;
  const logger = options.logger;
  if (options.signal?.aborted) return { status: 'unknown', cause: 'Aborted', message: `plugin "${path}" not run: stopping` };
  const procRoot = options.procRoot ?? '/proc';
  const marker = `${process.pid}.${++runCount}`;
  const sinceTicks = readUptimeTicks(procRoot);
  const env = { ...(options.env ?? { PATH: pluginPath }), [pluginRunVariable]: marker };
  const child = spawn(path, [...args], { detached: true, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const run = child.pid === undefined ? undefined : { pid: child.pid, marker, sinceTicks };
  const stdout = capture(child.stdout);
  const stderr = capture(child.stderr);
  const started = new Promise<Error | undefined>((resolve) => {
    child.once('spawn', () => resolve(undefined));
    child.once('error', (err) => resolve(err));
  });
  const exited = new Promise<{ code: number | null; sig: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, sig) => resolve({ code, sig }));
  });
  const closed = new Promise<'closed'>((resolve) => child.once('close', () => resolve('closed')));
  child.on('error', () => {}); // later errors (after start) must not become uncaught
  const startError = await started;
  if (startError) {
    logger?.error('Error in starting plugin', { path, error: startError.message });
    return { status: 'unknown', cause: (startError as NodeJS.ErrnoException).code ?? 'StartError', message: 'Error in starting plugin. Please check the error log' };
  }
  const stop = new AbortController();
  const timer = options.clock.sleep(options.timeoutMs, stop.signal).then(
    () => 'timeout' as const,
    () => 'stopped' as const,
  );
  const aborted = new Promise<'aborted'>((resolve) => {
    if (options.signal?.aborted) resolve('aborted');
    options.signal?.addEventListener('abort', () => resolve('aborted'), { once: true, signal: stop.signal });
  });
  const outcome = await Promise.race([closed, timer, aborted]);
  stop.abort();
  await sweep(run, procRoot);
  if (outcome !== 'closed') {
    // The group is dead, so the pipes close once read to the end; a process that left the group
    // (setsid) may still hold them, so stop waiting after a grace period.
    const grace = new AbortController();
    await Promise.race([closed, options.clock.sleep(closeGraceMs, grace.signal).catch(() => {})]);
    grace.abort();
    child.stdout?.destroy();
    child.stderr?.destroy();
  }
  const { code, sig } = await exited;
  const output = cutOutput(stdout().toString('utf8').trim(), maxOutput);
  const errText = stderr().toString('utf8').trim();
  if (outcome !== 'closed') {
    const what = outcome === 'timeout' ? 'Timeout when running plugin' : 'Stopped while running plugin';
    const message = `${what} ${JSON.stringify(path)}: state - ${processState(code, sig)}. output - ${JSON.stringify(output)}`;
    logger?.warn(message, { stderr: errText });
    return { status: 'unknown', cause: outcome === 'timeout' ? 'Timeout' : 'Aborted', message };
  }
  const status = code === 0 ? 'ok' : code === 1 ? 'problem' : 'unknown';
  if (errText) (status === 'ok' ? logger?.debug : logger?.warn)?.call(logger, 'plugin stderr', { path, stderr: errText });
  if (status === 'unknown') return { status, cause: `ExitCode${code ?? sig ?? ''}`, message: output };
  return { status, message: output };
}
