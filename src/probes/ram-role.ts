/**
 * RAM role attached (ACK's RAMRoleError): the instance metadata service names a role under
 * `latest/meta-data/ram/security-credentials/`, and that role's STS credentials answer
 * `"Code": "Success"`. The endpoint is configuration (only the alibaba-cloud profile sets it).
 */
import { stripUrlAuth } from '../core/errors.js';
import type { Check, ProbeContext, ProbeDefinition, ProbeResult } from './probe.js';
import { withTimeout } from './deadline.js';
import { readOptions, type OptionsWhere } from './option-reader.js';

/**
 * Why a fetch under `signal` failed: `Timeout` with the deadline's message when the signal fired,
 * else `NetworkError` with the socket error code (`ECONNREFUSED`). Shared with instance-expiry.
 */
export function describeFetchError(err: unknown, signal: AbortSignal): { cause: string; text: string } {
  if (signal.aborted) {
    const reason = signal.reason as { message?: unknown } | undefined;
    return { cause: 'Timeout', text: typeof reason?.message === 'string' ? reason.message : 'aborted' };
  }
  const e = err as { message?: unknown; cause?: { code?: unknown } } | undefined;
  const code = e?.cause?.code;
  return { cause: 'NetworkError', text: typeof code === 'string' ? code : typeof e?.message === 'string' ? e.message : String(err) };
}

/** Parses the role list: the first non-empty line, or undefined when there is none. */
export function parseRoleName(text: string): string | undefined {
  const line = text.split('\n').map((l) => l.trim()).find((l) => l !== '');
  return /^[\w.@+=,-]+$/.test(line ?? '') ? line : undefined;
}

/** Whether the STS credentials document says `"Code": "Success"`. */
export function parseCredentialsOk(text: string): boolean {
  try {
    const doc = JSON.parse(text) as unknown;
    return typeof doc === 'object' && doc !== null && (doc as { Code?: unknown }).Code === 'Success';
  } catch {
    return false;
  }
}

/**
 * Asks the metadata service at `endpoint` (e.g. `http://100.100.100.200`) for the node's RAM role.
 * Metadata not answering is `unknown`; a missing role or failing credentials is a `problem`.
 */
export async function probeRamRole(endpoint: string, fetchFn: typeof fetch, signal: AbortSignal): Promise<ProbeResult> {
  const base = `${endpoint.replace(/\/+$/, '')}/latest/meta-data/ram/security-credentials/`;
  let role: string | undefined;
  try {
    const res = await fetchFn(base, { signal });
    const body = await res.text();
    if (res.status === 404) return { status: 'problem', message: 'node has no ram role' };
    if (!res.ok) return { status: 'unknown', cause: `HTTP${res.status}`, message: `metadata service answered ${res.status} for ${stripUrlAuth(base)}` };
    role = parseRoleName(body);
    if (role === undefined) return { status: 'problem', message: 'node has no ram role' };
    const cred = await fetchFn(base + encodeURIComponent(role), { signal });
    const doc = await cred.text();
    if (cred.ok && parseCredentialsOk(doc)) return { status: 'ok', message: `node has ram role ${role}` };
    return { status: 'problem', message: `node has ram role ${role} but its credentials are not available (HTTP ${cred.status})` };
  } catch (err) {
    const d = describeFetchError(err, signal);
    return { status: 'unknown', cause: d.cause, message: `couldn't reach metadata service at ${stripUrlAuth(endpoint)}${role ? ` for role ${role}` : ''}: ${d.text}` };
  }
}

/**
 * The check of a metadata-service probe (ram-role, instance-expiry): options `endpoint` (required,
 * an http(s) origin) and `timeout` (default 5s), and `probe` called under that deadline.
 */
export function createMetadataCheck(
  name: string,
  options: Readonly<Record<string, unknown>>,
  ctx: ProbeContext,
  where: OptionsWhere,
  probe: (endpoint: string, fetchFn: typeof fetch, signal: AbortSignal) => Promise<ProbeResult>,
): Check {
  const opts = readOptions(name, options, ['endpoint', 'timeout'], where);
  const endpoint = opts.string('endpoint');
  if (!/^https?:\/\/[^/\s]+\/?$/.test(endpoint)) opts.fail('endpoint', `must be an http(s) origin like "http://host", got ${JSON.stringify(stripUrlAuth(endpoint))}`);
  const timeoutMs = opts.duration('timeout', 5000);
  return withTimeout(ctx, timeoutMs, (signal) => probe(endpoint, ctx.fetch, signal));
}

/** The `ram-role` probe: the metadata service at `endpoint` names a role with working credentials, within `timeout` (default 5s). */
export const ramRoleProbe: ProbeDefinition<'ram-role'> = {
  name: 'ram-role',
  create: (options, ctx, where) => createMetadataCheck('ram-role', options, ctx, where, probeRamRole),
};
