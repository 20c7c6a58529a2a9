/**
 * A bearer token from a kubeconfig `exec` credential plugin, client-go's ExecCredential protocol,
 * without @kubernetes/client-node (80 MiB RSS, bench/rss-client.ts). The plugin runs with no shell
 * and no terminal, under a timeout and an output cap; its token is kept until a little before
 * `status.expirationTimestamp` (forever without one) or until a 401 invalidates it. Only tokens are
 * supported: a plugin that answers with a client certificate is an error.
 */
import { execFile, type ExecFileException } from 'node:child_process';
import { systemClock, type Clock } from '../core/clock.js';
import { ConfigError } from '../core/errors.js';
import type { TokenSource } from './token-source.js';
import type { ExecConfig } from './kubeconfig.js';

/** The cluster as the plugin sees it in `KUBERNETES_EXEC_INFO` when `provideClusterInfo` is set. */
export interface ExecClusterInfo {
  readonly server: string;
  /** PEM text of the CA (sent base64-encoded, as client-go does). */
  readonly ca: string | undefined;
  readonly insecure: boolean;
}

/** Options of {@link execToken}. */
export interface ExecTokenOptions {
  /** Sent to the plugin only when its config asks for it (`provideClusterInfo`). */
  readonly cluster?: ExecClusterInfo | undefined;
  /** For `expirationTimestamp`. @default systemClock */
  readonly clock?: Clock;
  /** The environment the plugin's own `env` is added to. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** Longest a run may take before the plugin is killed. @default 30000 */
  readonly timeoutMs?: number;
  /** Most bytes read from stdout (and from stderr) before the plugin is killed. @default 1048576 */
  readonly maxOutputBytes?: number;
  /** How long before `expirationTimestamp` the plugin is run again. @default 10000 */
  readonly refreshBeforeMs?: number;
}

/** What a plugin's stdout says: a token (with its expiry in ms since the epoch, if any) or the problem. */
export type ExecCredentialResult =
  | { readonly token: string; readonly expiresAtMs: number | undefined }
  | { readonly problem: string };

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The `KUBERNETES_EXEC_INFO` value for `config`: a non-interactive ExecCredential request. */
export function execInfo(config: ExecConfig, cluster: ExecClusterInfo | undefined): string {
  const spec: Obj = { interactive: false };
  if (config.provideClusterInfo && cluster !== undefined) {
    spec['cluster'] = {
      server: cluster.server,
      ...(cluster.ca !== undefined ? { 'certificate-authority-data': Buffer.from(cluster.ca).toString('base64') } : {}),
      ...(cluster.insecure ? { 'insecure-skip-tls-verify': true } : {}),
    };
  }
  return JSON.stringify({ apiVersion: config.apiVersion, kind: 'ExecCredential', spec });
}

/**
 * Parses a plugin's stdout as an ExecCredential of `apiVersion`. Problems never quote the output:
 * it may hold a token.
 */
export function parseExecCredential(text: string, apiVersion: string): ExecCredentialResult {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return { problem: 'stdout is not JSON' };
  }
  if (!isObj(doc)) return { problem: 'stdout is not a JSON object' };
  if (doc['kind'] !== 'ExecCredential') return { problem: `kind must be ExecCredential, got ${JSON.stringify(doc['kind'] ?? null)}` };
  if (doc['apiVersion'] !== apiVersion) {
    return { problem: `apiVersion must be ${apiVersion} (as configured), got ${JSON.stringify(doc['apiVersion'] ?? null)}` };
  }
  const status = doc['status'];
  if (!isObj(status)) return { problem: 'no status' };
  const token = status['token'];
  if (typeof token !== 'string' || token === '') {
    if (status['clientCertificateData'] !== undefined || status['clientKeyData'] !== undefined) {
      return { problem: 'returned a client certificate; only token credentials are supported' };
    }
    return { problem: 'no status.token' };
  }
  const exp = status['expirationTimestamp'];
  if (exp === undefined || exp === null) return { token, expiresAtMs: undefined };
  const at = typeof exp === 'string' ? Date.parse(exp) : NaN;
  if (Number.isNaN(at)) return { problem: `status.expirationTimestamp is not an RFC 3339 time: ${JSON.stringify(exp)}` };
  return { token, expiresAtMs: at };
}

/** The last `max` characters of a plugin's stderr, on one line. */
function tail(stderr: string, max = 300): string {
  const t = stderr.trim().replace(/\s*\n\s*/g, ' | ');
  return t.length > max ? `…${t.slice(-max)}` : t;
}

interface RunResult {
  readonly stdout: string;
  readonly stderr: string;
  /** Why the run failed, or undefined when it exited 0. */
  readonly failure: string | undefined;
}

function describeFailure(err: ExecFileException, config: ExecConfig, timeoutMs: number): string {
  if (err.code === 'ENOENT') return `command not found${config.installHint ? ` (${config.installHint})` : ''}`;
  if (err.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') return 'output too large; killed';
  if (err.killed) return `timed out after ${timeoutMs} ms; killed`;
  if (typeof err.code === 'number') return `exited with code ${err.code}`;
  if (err.signal) return `killed by ${err.signal}`;
  return err.code !== undefined ? `cannot run: ${err.code}` : 'cannot run';
}

/** Runs the plugin once: no shell, stdin closed, killed after `timeoutMs` or `maxBytes` of output. */
function runPlugin(config: ExecConfig, env: NodeJS.ProcessEnv, timeoutMs: number, maxBytes: number): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = execFile(
      config.command,
      [...config.args],
      { env, timeout: timeoutMs, maxBuffer: maxBytes, killSignal: 'SIGKILL', encoding: 'utf8', windowsHide: true },
      (err, stdout, stderr) => resolve({ stdout, stderr, failure: err ? describeFailure(err, config, timeoutMs) : undefined }),
    );
    // No terminal and nothing to read: a plugin that prompts sees end-of-file at once.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end();
  });
}

/**
 * A {@link TokenSource} that runs `config`'s plugin. The token is reused until `refreshBeforeMs`
 * before its expiry (for good when the plugin gives none); `invalidate()` (after a 401) forces a
 * new run; concurrent callers share one run. A failed run is a ConfigError naming the kubeconfig
 * field, the command and the end of its stderr; it is not cached, so the next request tries again.
 * @example const auth = execToken(entry.exec, { cluster: { server, ca, insecure: false } });
 */
export function execToken(config: ExecConfig, options: ExecTokenOptions = {}): TokenSource {
  const clock = options.clock ?? systemClock;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const maxBytes = options.maxOutputBytes ?? 1024 * 1024;
  const refreshBeforeMs = options.refreshBeforeMs ?? 10_000;
  let cached: { token: string; refreshAt: number } | undefined;
  let inFlight: Promise<string> | undefined;

  const run = async (): Promise<string> => {
    const env: NodeJS.ProcessEnv = { ...(options.env ?? process.env) };
    for (const e of config.env) env[e.name] = e.value;
    env['KUBERNETES_EXEC_INFO'] = execInfo(config, options.cluster);
    const r = await runPlugin(config, env, timeoutMs, maxBytes);
    const parsed: ExecCredentialResult = r.failure === undefined ? parseExecCredential(r.stdout, config.apiVersion) : { problem: r.failure };
    if ('problem' in parsed) {
      const err = tail(r.stderr);
      throw new ConfigError(config.file, config.field, `credential plugin ${config.command}: ${parsed.problem}${err ? `; stderr: ${err}` : ''}`);
    }
    cached = { token: parsed.token, refreshAt: parsed.expiresAtMs === undefined ? Infinity : parsed.expiresAtMs - refreshBeforeMs };
    return parsed.token;
  };

  return {
    async token() {
      if (cached !== undefined && clock.now() < cached.refreshAt) return cached.token;
      inFlight ??= run().finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    },
    invalidate() {
      cached = undefined;
    },
  };
}
