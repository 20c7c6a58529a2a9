/**
 * The agent in-process, started from a command line as an operator writes it: `parseCommandLine`
 * (the real flag parsing) then `runAgent` (the real wiring), with real sources on temp files, the
 * HTTPS test apiserver and real `/healthz` and `/metrics` servers. Only the clock, the environment,
 * the hostname and where logs and console lines go are parameters.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAgent } from '../../src/app/run.js';
import { parseCommandLine } from '../../src/app/command-line.js';
import type { RunSettings } from '../../src/app/settings.js';
import type { Clock } from '../../src/core/clock.js';
import type { LogRecord } from '../../src/core/logger.js';
import { repoRoot } from './cli.js';
import { freePort } from './net.js';

/** A running in-process agent. */
export interface AgentUnderTest {
  readonly settings: RunSettings;
  /** Every log record at the level `--log-level` lets through. */
  readonly logs: LogRecord[];
  /** Lines of the console exporter (standalone). */
  readonly stdout: string[];
  /** `http://127.0.0.1:PORT` of `/healthz`, when `--port` is not 0. */
  readonly healthUrl: string | undefined;
  /** The `/metrics` URL, when `--prometheus-port` is not 0. */
  readonly metricsUrl: string | undefined;
  /** The text of `/metrics`. */
  metrics(): Promise<string>;
  /** Stops the agent (SIGTERM) and waits until it has. */
  stop(): Promise<void>;
}

/** Options of {@link startAgent}. */
export interface StartAgentOptions {
  readonly clock?: Clock;
  /** The agent's environment (`NODE_NAME`, `KUBECONFIG`…). @default {} (no cluster) */
  readonly env?: NodeJS.ProcessEnv;
  readonly hostname?: string;
  /** Pick free ports for `--port` and `--prometheus-port` unless the command line names them. @default true */
  readonly freePorts?: boolean;
}

/**
 * Starts `npd run ARGV` in this process; resolves once every monitor has started, rejects with the
 * error `npd run` would print (a ConfigError for a bad flag or file).
 */
export async function startAgent(argv: readonly string[], options: StartAgentOptions = {}): Promise<AgentUnderTest> {
  const args = [...argv];
  if (options.freePorts ?? true) {
    if (!args.some((a) => a.startsWith('--port'))) args.push(`--port=${await freePort()}`);
    if (!args.some((a) => a.startsWith('--prometheus-port'))) args.push(`--prometheus-port=${await freePort()}`);
  }
  const invocation = parseCommandLine(['run', ...args], { root: repoRoot, version: '0.0.0-test' });
  if (invocation.command !== 'run') throw new Error(`not a run command line: ${args.join(' ')}`);
  const settings = invocation.settings;
  const logs: LogRecord[] = [];
  const stdout: string[] = [];
  const controller = new AbortController();
  let urls: { health: string | undefined; metrics: string | undefined } | undefined;
  let stopped: Promise<void> = Promise.resolve();
  const running = new Promise<void>((resolve, reject) => {
    const done = runAgent(settings, {
      signal: controller.signal,
      writeLog: (r) => void logs.push(r),
      write: (line) => void stdout.push(line),
      onRunning: (u) => {
        urls = u;
        resolve();
      },
      env: options.env ?? {},
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.hostname ? { hostname: options.hostname } : {}),
    });
    done.then(() => reject(new Error('the agent stopped before running')), reject);
    stopped = done.catch(() => {});
  });
  await running;
  return {
    settings,
    logs,
    stdout,
    healthUrl: urls?.health,
    metricsUrl: urls?.metrics,
    async metrics() {
      if (!urls?.metrics) throw new Error('no metrics server (--prometheus-port=0)');
      return (await fetch(urls.metrics)).text();
    },
    async stop() {
      controller.abort(new Error('SIGTERM'));
      await stopped;
    },
  };
}

/** A temp directory with helpers to write files into it. */
export function tempDir(prefix: string): { readonly dir: string; write(name: string, text: string): string } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    write(name, text) {
      const p = join(dir, name);
      writeFileSync(p, text);
      return p;
    },
  };
}

/** The value of one series in Prometheus text (`name{labels} value`), or undefined. */
export function seriesValue(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}
