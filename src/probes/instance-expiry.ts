/**
 * Spot instance reclaim (ACK's InstanceExpired): the instance metadata service answers
 * `latest/meta-data/instance/spot/termination-time` with a time once the instance is scheduled for
 * release, and 404 until then. The endpoint is configuration (only the alibaba-cloud profile sets it).
 */
import type { ProbeDefinition, ProbeResult } from './probe.js';
import { stripUrlAuth } from '../core/errors.js';
import { createMetadataCheck, describeFetchError } from './ram-role.js';

/** Path of the termination time under the metadata endpoint. */
export const terminationTimePath = '/latest/meta-data/instance/spot/termination-time';

/**
 * The termination time in a metadata answer (`2015-01-05T18:02:00Z`), or undefined. V8's
 * `Date.parse` alone accepts nearly anything with a number in it ("Not Found 404" is 1 January
 * 404), so the text must also start like an ISO 8601 date, as the metadata service writes it.
 */
export function parseTerminationTime(text: string): string | undefined {
  const t = text.trim();
  if (t.length > 64 || !/^\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.test(t)) return undefined;
  return Number.isNaN(Date.parse(t)) ? undefined : t;
}

/**
 * Asks the metadata service at `endpoint` (e.g. `http://100.100.100.200`) whether this spot
 * instance is to be released. 404 is `ok`, a time is a `problem`; anything else is `unknown`.
 */
export async function probeInstanceExpiry(endpoint: string, fetchFn: typeof fetch, signal: AbortSignal): Promise<ProbeResult> {
  const url = `${endpoint.replace(/\/+$/, '')}${terminationTimePath}`;
  const shown = stripUrlAuth(url);
  try {
    const res = await fetchFn(url, { signal });
    const body = await res.text();
    if (res.status === 404) return { status: 'ok', message: 'instance is not going to be terminated' };
    if (res.status !== 200) return { status: 'unknown', cause: `HTTP${res.status}`, message: `metadata service answered ${res.status} for ${shown}` };
    const time = parseTerminationTime(body);
    if (time === undefined) return { status: 'unknown', cause: 'Unparsable', message: `metadata service answered ${JSON.stringify(body.slice(0, 40))} for ${shown}, not a time` };
    return { status: 'problem', message: `instance is going to be terminated at ${time}` };
  } catch (err) {
    const d = describeFetchError(err, signal);
    return { status: 'unknown', cause: d.cause, message: `couldn't reach metadata service at ${stripUrlAuth(endpoint)}: ${d.text}` };
  }
}

/** The `instance-expiry` probe: the metadata service at `endpoint` has no termination time, within `timeout` (default 5s). */
export const instanceExpiryProbe: ProbeDefinition<'instance-expiry'> = {
  name: 'instance-expiry',
  create: (options, ctx, where) => createMetadataCheck('instance-expiry', options, ctx, where, probeInstanceExpiry),
};
