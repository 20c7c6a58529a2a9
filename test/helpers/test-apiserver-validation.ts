/**
 * Validation and patch application of the test apiserver, after kube-apiserver's
 * (pkg/apis/core/validation/events.go; metav1.Time encodes whole seconds; unknown patch types 415).
 */
import { jsonMergePatch, strategicMergePatch } from './test-apiserver-patch.js';

/** A Status object. */
export const statusBody = (code: number, reason: string, message: string) => ({
  kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code,
});

/** An answer with a status. */
export class HttpError extends Error {
  constructor(readonly code: number, readonly reason: string, message: string) {
    super(message);
  }
}

export const time = (v: unknown, field: string): string => {
  const t = typeof v === 'string' ? Date.parse(v) : NaN;
  if (Number.isNaN(t) || !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(String(v))) {
    throw new HttpError(400, 'BadRequest', `${field}: parsing time ${JSON.stringify(v)} as RFC3339 failed`);
  }
  return new Date(Math.floor(t / 1000) * 1000).toISOString().replace('.000Z', 'Z');
};

/** Go's encoding of metav1.Time: whole seconds. */
export function normaliseNode(n: Record<string, any>): void {
  for (const [i, c] of (n['status']?.conditions ?? []).entries()) {
    if (!c || typeof c.type !== 'string' || c.type === '') throw new HttpError(422, 'Invalid', `status.conditions[${i}].type: Required value`);
    if (!['True', 'False', 'Unknown'].includes(c.status)) throw new HttpError(422, 'Invalid', `status.conditions[${i}].status: Unsupported value: ${JSON.stringify(c.status)}`);
    for (const f of ['lastHeartbeatTime', 'lastTransitionTime']) if (c[f] !== undefined && c[f] !== null) c[f] = time(c[f], `status.conditions[${i}].${f}`);
  }
}

const qualified = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** kubernetes pkg/apis/core/validation/events.go, the parts that apply to core/v1 Events. */
export function validateEvent(e: Record<string, any>, ns: string): void {
  const bad = (m: string): never => {
    throw new HttpError(422, 'Invalid', `Event "${e['metadata']?.name ?? ''}" is invalid: ${m}`);
  };
  const name = e['metadata']?.name;
  if (typeof name !== 'string' || !subdomain.test(name) || name.length > 253) bad('metadata.name: Invalid value');
  const io = e['involvedObject'] ?? {};
  if (e['eventTime'] !== undefined && e['eventTime'] !== null) {
    if (!/\.\d{6}Z$/.test(String(e['eventTime']))) throw new HttpError(400, 'BadRequest', `eventTime: parsing time ${JSON.stringify(e['eventTime'])} as "2006-01-02T15:04:05.000000Z07:00"`);
    if (io.kind === 'Node' && ns !== 'default' && ns !== 'kube-system') bad('metadata.namespace: Invalid value: does not match involvedObject');
    if (!qualified.test(String(e['reportingComponent'] ?? ''))) bad('reportingController: Required value');
  } else if (!io.namespace) {
    if (ns !== '' && ns !== 'default') bad('involvedObject.namespace: Invalid value: does not match event.namespace');
  } else if (io.namespace !== ns) bad('involvedObject.namespace: Invalid value: does not match event.namespace');
  if (e['type'] !== undefined && !['Normal', 'Warning'].includes(e['type'])) bad(`type: Unsupported value: ${JSON.stringify(e['type'])}`);
  if (e['reportingComponent'] && !qualified.test(e['reportingComponent'])) bad('reportingController: Invalid value');
  if (String(e['reportingInstance'] ?? '').length > 128) bad('reportingInstance: Too long');
  if (String(e['reason'] ?? '').length > 128) bad('reason: Too long');
  if (String(e['message'] ?? '').length > 1024) bad('message: Too long: may not be more than 1024 bytes');
  for (const f of ['firstTimestamp', 'lastTimestamp']) if (e[f] !== undefined && e[f] !== null) e[f] = time(e[f], f);
}

const eventFields: Record<string, (e: Record<string, any>) => string> = {
  'involvedObject.kind': (e) => e['involvedObject']?.kind ?? '',
  'involvedObject.namespace': (e) => e['involvedObject']?.namespace ?? '',
  'involvedObject.name': (e) => e['involvedObject']?.name ?? '',
  'involvedObject.uid': (e) => e['involvedObject']?.uid ?? '',
  'involvedObject.apiVersion': (e) => e['involvedObject']?.apiVersion ?? '',
  'involvedObject.resourceVersion': (e) => e['involvedObject']?.resourceVersion ?? '',
  'involvedObject.fieldPath': (e) => e['involvedObject']?.fieldPath ?? '',
  reason: (e) => e['reason'] ?? '',
  reportingComponent: (e) => e['reportingComponent'] ?? '',
  source: (e) => e['source']?.component ?? '',
  type: (e) => e['type'] ?? '',
  'metadata.name': (e) => e['metadata']?.name ?? '',
  'metadata.namespace': (e) => e['metadata']?.namespace ?? '',
};

/** Parses `a=b,c!=d` against the fields of Events; unknown fields are a 400, as in kube-apiserver. */
export function eventSelector(selector: string): (e: Record<string, any>) => boolean {
  const terms = selector.split(',').filter((t) => t !== '').map((t) => {
    const m = /^([^!=]+)(==|!=|=)(.*)$/.exec(t);
    if (!m) throw new HttpError(400, 'BadRequest', `invalid field selector ${JSON.stringify(t)}`);
    const get = eventFields[m[1] as string];
    if (!get) throw new HttpError(400, 'BadRequest', `"${m[1]}" is not a known field selector: only "involvedObject.*", "reason", "source", "type", "metadata.*"`);
    return { get, neg: m[2] === '!=', value: m[3] as string };
  });
  return (e) => terms.every((t) => (t.get(e) === t.value) !== t.neg);
}

/** Applies a patch of `contentType` (strategic or JSON merge; others 415). */
export function applyPatch(current: Record<string, any>, contentType: string, body: unknown): Record<string, any> {
  const type = contentType.split(';')[0]?.trim();
  if (type === 'application/strategic-merge-patch+json') return strategicMergePatch(current, body as never) as Record<string, any>;
  if (type === 'application/merge-patch+json') return jsonMergePatch(current, body as never) as Record<string, any>;
  throw new HttpError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/merge-patch+json, application/strategic-merge-patch+json (got ${type})`);
}

/** 409 when the patch names a resourceVersion that is not the current one. */
export function checkPrecondition(current: Record<string, any>, patch: unknown): void {
  const rv = (patch as { metadata?: { resourceVersion?: string } } | undefined)?.metadata?.resourceVersion;
  if (rv !== undefined && rv !== current['metadata']?.resourceVersion) {
    throw new HttpError(409, 'Conflict', `Operation cannot be fulfilled: the object has been modified; please apply your changes to the latest version and try again`);
  }
}

