/**
 * Container runtime answering (ACK's RuntimeOffline): docker answers `GET /_ping` with `OK` on its
 * unix socket; containerd answers the gRPC health check SERVING on its socket (grpc-health.ts).
 * Only runtimes whose socket exists are checked (a node runs one or the other); none present is
 * `unknown`.
 */
import { http } from '../core/node-http.js';
import { stat } from 'node:fs/promises';
import { checkGrpcHealth } from './grpc-health.js';
import type { ProbeDefinition, ProbeResult } from './probe.js';
import { withTimeout } from './deadline.js';
import { readOptions } from './option-reader.js';

/** A runtime and the unix socket it listens on. */
export interface RuntimeEndpoint {
  readonly runtime: 'docker' | 'containerd';
  readonly socket: string;
}

/** Asks one runtime whether it is alive; resolves with a failure text, or undefined when it answered. */
export type RuntimeCheck = (endpoint: RuntimeEndpoint, signal: AbortSignal) => Promise<string | undefined>;

/** Docker's `GET /_ping` over its socket. */
export function pingDocker(socket: string, signal: AbortSignal): Promise<string | undefined> {
  return new Promise((resolve) => {
    const req = http.request({ socketPath: socket, path: '/_ping', method: 'GET', signal }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        if (body.length < 64) body += c;
      });
      res.on('end', () => resolve(res.statusCode === 200 && body.trim() === 'OK' ? undefined : `/_ping answered ${res.statusCode} ${JSON.stringify(body.slice(0, 40))}`));
      res.on('error', (err) => resolve(err.message));
    });
    req.on('error', (err) => resolve(signal.aborted ? 'timed out' : ((err as NodeJS.ErrnoException).code ?? err.message)));
    req.end();
  });
}

/** The real {@link RuntimeCheck}. */
export const checkRuntime: RuntimeCheck = (e, signal) => (e.runtime === 'docker' ? pingDocker(e.socket, signal) : checkGrpcHealth(e.socket, signal));

function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}

/**
 * Checks every runtime whose socket exists; a problem when any of them does not answer.
 * @example await probeRuntime([{ runtime: 'containerd', socket: '/run/containerd/containerd.sock' }], checkRuntime, signal)
 */
export async function probeRuntime(endpoints: readonly RuntimeEndpoint[], check: RuntimeCheck, signal: AbortSignal): Promise<ProbeResult> {
  const present: RuntimeEndpoint[] = [];
  for (const e of endpoints) if (await exists(e.socket)) present.push(e);
  if (present.length === 0) {
    return { status: 'unknown', cause: 'NoData', message: `no container runtime socket found (${endpoints.map((e) => e.socket).join(', ')})` };
  }
  const failures = await Promise.all(present.map(async (e) => ({ e, failure: await check(e, signal) })));
  const bad = failures.filter((f) => f.failure !== undefined);
  if (bad.length > 0) {
    return { status: 'problem', message: bad.map((f) => `${f.e.runtime} daemon is offline on ${f.e.socket}: ${f.failure}`).join('; ') };
  }
  return { status: 'ok', message: `container runtime daemon is ok (${present.map((e) => e.runtime).join(', ')})` };
}

/** The `runtime` probe: docker (`dockerSocket`) or containerd (`containerdSocket`) answers within `timeout` (default 10s). */
export const runtimeProbe: ProbeDefinition<'runtime'> = {
  name: 'runtime',
  create(options, ctx, where) {
    const opts = readOptions('runtime', options, ['dockerSocket', 'containerdSocket', 'timeout'], where);
    const endpoints: RuntimeEndpoint[] = [
      { runtime: 'docker', socket: opts.string('dockerSocket', '/var/run/docker.sock') },
      { runtime: 'containerd', socket: opts.string('containerdSocket', '/run/containerd/containerd.sock') },
    ];
    const timeoutMs = opts.duration('timeout', 10_000);
    return withTimeout(ctx, timeoutMs, (signal) => probeRuntime(endpoints, checkRuntime, signal));
  },
};
