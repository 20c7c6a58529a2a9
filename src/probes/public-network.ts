/**
 * Public network reachable (ACK's PublicNetworkError, what a missing SNAT entry breaks): a TCP
 * connection to any configured target succeeds. ACK pinged public resolvers; ICMP needs raw
 * sockets (CAP_NET_RAW), TCP does not. All targets failing is a problem; one is enough for ok.
 */
import { nodeNet } from '../core/node-builtins.js';
import { NpdError } from '../core/errors.js';
import type { ProbeDefinition, ProbeResult } from './probe.js';
import { withTimeout } from './deadline.js';
import { readOptions } from './option-reader.js';

/** A `host:port` to connect to. */
export interface NetworkTarget {
  readonly host: string;
  readonly port: number;
}

/** Opens and closes a TCP connection; rejects on failure or when `signal` aborts. */
export type ConnectFunction = (target: NetworkTarget, signal: AbortSignal) => Promise<void>;

/** Parses `"host:port"` or `"[v6]:port"`; undefined when malformed. */
export function parseTarget(text: string): NetworkTarget | undefined {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:\s[\]]+)):(\d{1,5})$/.exec(text);
  if (!m) return undefined;
  const port = Number(m[3]);
  if (port < 1 || port > 65535) return undefined;
  return { host: (m[1] ?? m[2]) as string, port };
}

/** The real {@link ConnectFunction}, over node:net. */
export const tcpConnect: ConnectFunction = (target, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const socket = nodeNet().connect({ host: target.host, port: target.port });
    const onAbort = (): void => {
      socket.destroy();
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => {
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve();
    });
    socket.once('error', (err) => {
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      reject(err);
    });
  });

/** The errno code or message of a failure (duck-typed: errors may come from another realm). */
function describe(err: unknown): string {
  // Our own errors (the deadline's) say more in their message than in their code.
  if (err instanceof NpdError) return err.message;
  const e = err as { code?: unknown; message?: unknown } | null | undefined;
  if (typeof e?.code === 'string') return e.code;
  if (typeof e?.message === 'string') return e.message;
  return String(err);
}

/**
 * Connects to every target in parallel; ok as soon as one answers.
 * @example await probePublicNetwork([{ host: '127.0.0.1', port: 53 }], tcpConnect, signal)
 */
export async function probePublicNetwork(targets: readonly NetworkTarget[], connect: ConnectFunction, signal: AbortSignal): Promise<ProbeResult> {
  const failures: string[] = [];
  const attempts = targets.map(async (t) => {
    const name = `${t.host.includes(':') ? `[${t.host}]` : t.host}:${t.port}`;
    try {
      await connect(t, signal);
      return name;
    } catch (err) {
      failures.push(`${name} ${describe(err)}`);
      throw err;
    }
  });
  try {
    const name = await Promise.any(attempts);
    return { status: 'ok', message: `node can connect to public network (${name})` };
  } catch {
    return { status: 'problem', message: `node could not connect to public network: ${failures.join(', ')}` };
  }
}

/** The `public-network` probe: one of `targets` (`host:port`) accepts a TCP connection within `timeout` (default 5s). */
export const publicNetworkProbe: ProbeDefinition<'public-network'> = {
  name: 'public-network',
  create(options, ctx, where) {
    const opts = readOptions('public-network', options, ['targets', 'timeout'], where);
    const targets: NetworkTarget[] = opts.strings('targets').map((t) => parseTarget(t) ?? opts.fail('targets', `must be "host:port" entries, got ${JSON.stringify(t)}`));
    const timeoutMs = opts.duration('timeout', 5000);
    return withTimeout(ctx, timeoutMs, (signal) => probePublicNetwork(targets, tcpConnect, signal));
  },
};
