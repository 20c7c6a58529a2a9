/**
 * The resources of the test apiserver: discovery, Nodes (object and status subresource), core/v1
 * Events, Pods the test added (GET, list) and a missing Lease for `kubectl describe node`.
 */
import type { ApiState } from './test-apiserver-routes.js';
import { applyPatch, checkPrecondition, eventSelector, HttpError, normaliseNode, validateEvent } from './test-apiserver-validation.js';

type Answer = [number, unknown];

const resource = (name: string, kind: string, namespaced: boolean, verbs: string[], shortNames?: string[]) => ({
  name, singularName: name.includes('/') ? '' : name.replace(/s$/, ''), namespaced, kind, verbs, ...(shortNames ? { shortNames } : {}),
});

const coreResources = {
  kind: 'APIResourceList',
  apiVersion: 'v1',
  groupVersion: 'v1',
  resources: [
    resource('nodes', 'Node', false, ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], ['no']),
    resource('nodes/status', 'Node', false, ['get', 'patch', 'update']),
    resource('events', 'Event', true, ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], ['ev']),
    resource('pods', 'Pod', true, ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], ['po']),
    resource('namespaces', 'Namespace', false, ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], ['ns']),
  ],
};

const groups: Record<string, { version: string; resources: unknown[] }> = {
  'coordination.k8s.io': { version: 'v1', resources: [resource('leases', 'Lease', true, ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'])] },
  'events.k8s.io': { version: 'v1', resources: [resource('events', 'Event', true, ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], ['ev'])] },
};

const notFound = (what: string, name: string): HttpError => new HttpError(404, 'NotFound', `${what} "${name}" not found`);

function nodeRoute(state: ApiState, method: string, name: string, sub: string | undefined, contentType: string, body: unknown): Answer {
  const node = state.nodes.get(name);
  if (!node) throw notFound('nodes', name);
  if (sub !== undefined && sub !== 'status') throw new HttpError(404, 'NotFound', 'the server could not find the requested resource');
  if (method === 'GET') return [200, node];
  if (method !== 'PATCH') throw new HttpError(405, 'MethodNotAllowed', `${method} is not supported here`);
  checkPrecondition(node, body);
  const next = applyPatch(structuredClone(node), contentType, body);
  // The status subresource keeps the old spec (nodeStatusStrategy); the object keeps the old status.
  if (sub === 'status') next['spec'] = structuredClone(node['spec']);
  else next['status'] = structuredClone(node['status']);
  for (const f of ['name', 'uid', 'creationTimestamp']) next['metadata'][f] = node['metadata'][f];
  normaliseNode(next);
  if (JSON.stringify(next) !== JSON.stringify(node)) next['metadata'].resourceVersion = String(++state.rv);
  state.nodes.set(name, next);
  return [200, next];
}

function list(kind: string, items: unknown[], rv: number): unknown {
  return { kind, apiVersion: 'v1', metadata: { resourceVersion: String(rv) }, items };
}

function eventsRoute(state: ApiState, method: string, ns: string | undefined, name: string | undefined, url: URL, contentType: string, body: unknown): Answer {
  if (name === undefined) {
    if (method === 'GET') {
      const match = eventSelector(url.searchParams.get('fieldSelector') ?? '');
      const items = [...state.events.values()].filter((e) => (ns === undefined || e['metadata'].namespace === ns) && match(e));
      return [200, list('EventList', items, state.rv)];
    }
    if (method !== 'POST' || ns === undefined) throw new HttpError(405, 'MethodNotAllowed', `${method} is not supported here`);
    const e = structuredClone(body) as Record<string, any>;
    if (typeof e !== 'object' || e === null) throw new HttpError(400, 'BadRequest', 'body is not an object');
    e['metadata'] ??= {};
    if (e['metadata'].namespace !== undefined && e['metadata'].namespace !== ns) {
      throw new HttpError(400, 'BadRequest', 'the namespace of the provided object does not match the namespace sent on the request');
    }
    e['metadata'].namespace = ns;
    if (e['metadata'].resourceVersion) throw new HttpError(400, 'BadRequest', 'resourceVersion should not be set on objects to be created');
    validateEvent(e, ns);
    const key = `${ns}/${e['metadata'].name}`;
    if (state.events.has(key)) throw new HttpError(409, 'AlreadyExists', `events "${e['metadata'].name}" already exists`);
    e['kind'] = 'Event';
    e['apiVersion'] = 'v1';
    e['metadata'].uid = `ev-${++state.uid}`;
    e['metadata'].resourceVersion = String(++state.rv);
    e['metadata'].creationTimestamp = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    state.events.set(key, e);
    return [201, e];
  }
  const key = `${ns}/${name}`;
  const current = state.events.get(key);
  if (!current) throw notFound('events', name);
  if (method === 'GET') return [200, current];
  if (method !== 'PATCH') throw new HttpError(405, 'MethodNotAllowed', `${method} is not supported here`);
  checkPrecondition(current, body);
  const next = applyPatch(structuredClone(current), contentType, body);
  for (const f of ['name', 'namespace', 'uid', 'creationTimestamp']) next['metadata'][f] = current['metadata'][f];
  validateEvent(next, ns as string);
  next['metadata'].resourceVersion = String(++state.rv);
  state.events.set(key, next);
  return [200, next];
}

/** GET of Pods: one by name, or the list (by namespace, and `spec.nodeName=` as kubectl describe node asks). */
function podsRoute(state: ApiState, ns: string | undefined, name: string | undefined, url: URL): Answer {
  if (name !== undefined) {
    const pod = ns === undefined ? undefined : state.pods.get(`${ns}/${name}`);
    if (!pod) throw notFound('pods', name);
    return [200, pod];
  }
  const node = /spec\.nodeName=([^,]*)/.exec(url.searchParams.get('fieldSelector') ?? '')?.[1];
  const items = [...state.pods.values()].filter((p) => (ns === undefined || p['metadata'].namespace === ns) && (node === undefined || p['spec']?.nodeName === node));
  return [200, list('PodList', items, state.rv)];
}

/** Routes one authenticated request; returns the status and the body, or throws HttpError. */
export function routeRequest(state: ApiState, method: string, url: URL, contentType: string, body: unknown): Answer {
  const p = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const path = url.pathname.replace(/\/+$/, '');
  if (method === 'GET') {
    if (path === '/version') return [200, { major: '1', minor: '32', gitVersion: 'v1.32.4', platform: 'linux/amd64' }];
    if (path === '/api') return [200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1:443' }] }];
    if (path === '/api/v1') return [200, coreResources];
    if (path === '/apis') {
      return [200, {
        kind: 'APIGroupList', apiVersion: 'v1',
        groups: Object.entries(groups).map(([name, g]) => ({
          name, versions: [{ groupVersion: `${name}/${g.version}`, version: g.version }],
          preferredVersion: { groupVersion: `${name}/${g.version}`, version: g.version },
        })),
      }];
    }
    if (p[0] === 'apis' && p.length === 3 && groups[p[1] as string]?.version === p[2]) {
      return [200, { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: `${p[1]}/${p[2]}`, resources: groups[p[1] as string]?.resources }];
    }
    if (path === '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/' + (p[6] ?? '')) throw notFound('leases.coordination.k8s.io', p[6] ?? '');
  }
  if (p[0] === 'api' && p[1] === 'v1') {
    const r = p.slice(2);
    if (r[0] === 'nodes' && r.length === 1 && method === 'GET') return [200, list('NodeList', [...state.nodes.values()], state.rv)];
    if (r[0] === 'nodes' && r[1] !== undefined && r.length <= 3) return nodeRoute(state, method, r[1], r[2], contentType, body);
    if (r[0] === 'events' && r.length === 1) return eventsRoute(state, method, undefined, undefined, url, contentType, body);
    if (r[0] === 'namespaces' && r[1] !== undefined && r[2] === 'events' && r.length <= 4) return eventsRoute(state, method, r[1], r[3], url, contentType, body);
    if (method === 'GET' && (r[0] === 'pods' || (r[0] === 'namespaces' && r[2] === 'pods'))) return podsRoute(state, r[0] === 'pods' ? undefined : r[1], r[0] === 'pods' ? r[1] : r[3], url);
  }
  throw new HttpError(404, 'NotFound', 'the server could not find the requested resource');
}
