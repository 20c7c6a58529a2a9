/**
 * A local kube-apiserver stand-in: real HTTPS on 127.0.0.1 with a CA made per run, bearer-token
 * auth, discovery, Nodes (GET, PATCH of the object and of `/status` with strategic-merge and
 * JSON-merge semantics, resourceVersion bumps), core/v1 Events (create, patch, get, list with
 * fieldSelector), Pods added by the test (GET and list, for `kubectl describe pod`/`node`), fault injection and a log of every
 * request. Behaviour follows the real apiserver where the agent touches it (docs/architecture.md).
 */
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { systemClock } from '../../src/core/clock.js';
import { createAdmission, type AdmissionOptions } from './test-apiserver-admission.js';
import { handleRequest, type ApiState, type Fault, type LoggedRequest } from './test-apiserver-routes.js';
import { perTestWithCerts, type PerTest } from './per-test.js';
import { createTestCertificates, type TestCertificates } from './tls-certs.js';

export type { Fault, LoggedRequest } from './test-apiserver-routes.js';

/** A running test apiserver. */
export interface TestApiserver {
  /** `https://127.0.0.1:PORT`. */
  readonly url: string;
  readonly port: number;
  /** A token the server accepts. */
  readonly token: string;
  readonly certs: TestCertificates;
  /** Every request answered (or refused), oldest first. */
  readonly requests: LoggedRequest[];
  /** Calls `fn` for each request as soon as its body has arrived; returns an unsubscribe function. */
  onRequest(fn: (r: LoggedRequest) => void): () => void;
  /** TLS connections accepted so far (to check connection reuse). */
  connections(): number;
  /** Adds a Node (kubelet's conditions included if given). */
  addNode(node: object): void;
  /** Changes a stored Node as another writer would (kubelet, a CNI); bumps its resourceVersion. */
  updateNode(name: string, change: (node: Record<string, any>) => void): void;
  /** Adds a Pod (for `kubectl describe pod`; the agent itself never reads pods). */
  addPod(pod: object): void;
  /** The stored Node, or undefined. */
  node(name: string): Record<string, any> | undefined;
  /** Stored Events, all namespaces. */
  events(): Record<string, any>[];
  /** Queues a fault; faults are used in order, each `times` times. */
  inject(fault: Fault): void;
  clearFaults(): void;
  /** Stops accepting connections and resets the open ones (apiserver down). */
  down(): Promise<void>;
  /** Listens again on the same port. */
  up(): Promise<void>;
  /** Writes a kubeconfig for this server (CA data + token) and returns its path. */
  writeKubeconfig(file: string, opts?: { token?: string; clientCert?: boolean }): Promise<string>;
  close(): Promise<void>;
}

/** A Node as kubelet leaves it: Ready and the pressure conditions, all healthy. */
export function kubeletNode(name: string, now = new Date()): object {
  const t = now.toISOString().replace(/\.\d+Z$/, 'Z');
  const cond = (type: string, status: string, reason: string, message: string) => ({
    type, status, reason, message, lastHeartbeatTime: t, lastTransitionTime: t,
  });
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux' }, annotations: {} },
    spec: { podCIDR: '10.244.0.0/24' },
    status: {
      conditions: [
        cond('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
        cond('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
        cond('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
        cond('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
      ],
      addresses: [{ type: 'InternalIP', address: '127.0.0.1' }, { type: 'Hostname', address: name }],
      nodeInfo: { kubeletVersion: 'v1.32.4', osImage: 'Debian GNU/Linux', kernelVersion: '6.1.0', operatingSystem: 'linux', architecture: 'amd64', containerRuntimeVersion: 'containerd://1.7.0', machineID: '', systemUUID: '', bootID: '', kubeProxyVersion: '' },
      capacity: { cpu: '2', memory: '4Gi', pods: '110' },
      allocatable: { cpu: '2', memory: '4Gi', pods: '110' },
    },
  };
}

/** Starts a test apiserver on 127.0.0.1 (a free port unless `port` is given). */
export async function startTestApiserver(
  options: { port?: number; token?: string; certs?: TestCertificates; admission?: Omit<AdmissionOptions, 'clock'> } = {},
): Promise<TestApiserver> {
  const certs = options.certs ?? (await createTestCertificates());
  const token = options.token ?? 'test-token-0123456789';
  const state: ApiState = {
    tokens: new Set([token]),
    clientCertAuth: true,
    nodes: new Map(),
    pods: new Map(),
    events: new Map(),
    rv: 1,
    faults: [],
    requests: [],
    uid: 0,
    listeners: [],
    admission: options.admission ? createAdmission({ ...options.admission, clock: systemClock }) : undefined,
  };
  const sockets = new Set<Socket>();
  const server = https.createServer(
    { key: certs.serverKey, cert: certs.serverCert, ca: certs.ca, requestCert: true, rejectUnauthorized: false },
    (req: IncomingMessage, res: ServerResponse) => void handleRequest(state, req, res),
  );
  server.keepAliveTimeout = 60_000;
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  let tlsConnections = 0;
  server.on('secureConnection', (s) => {
    tlsConnections++;
    sockets.add(s as unknown as Socket);
    s.on('close', () => sockets.delete(s as unknown as Socket));
  });
  server.listen(options.port ?? 0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  let listening = true;

  const api: TestApiserver = {
    url: `https://127.0.0.1:${port}`,
    port,
    token,
    certs,
    requests: state.requests,
    connections: () => tlsConnections,
    onRequest(fn) {
      state.listeners.push(fn);
      return () => void state.listeners.splice(state.listeners.indexOf(fn), 1);
    },
    addNode(node) {
      const n = structuredClone(node) as Record<string, any>;
      n['metadata'].uid ??= `00000000-0000-4000-8000-${String(++state.uid).padStart(12, '0')}`;
      n['metadata'].resourceVersion = String(++state.rv);
      n['metadata'].creationTimestamp ??= new Date().toISOString().replace(/\.\d+Z$/, 'Z');
      state.nodes.set(n['metadata'].name, n);
    },
    addPod(pod) {
      const p = structuredClone(pod) as Record<string, any>;
      p['metadata'].uid ??= `00000000-0000-4000-9000-${String(++state.uid).padStart(12, '0')}`;
      p['metadata'].resourceVersion = String(++state.rv);
      p['metadata'].creationTimestamp ??= new Date().toISOString().replace(/\.\d+Z$/, 'Z');
      state.pods.set(`${p['metadata'].namespace}/${p['metadata'].name}`, p);
    },
    updateNode(name, change) {
      const n = state.nodes.get(name);
      if (!n) throw new Error(`no node ${name}`);
      change(n);
      n['metadata'].resourceVersion = String(++state.rv);
    },
    node: (name) => structuredClone(state.nodes.get(name)),
    events: () => [...state.events.values()].map((e) => structuredClone(e)),
    inject: (fault) => state.faults.push({ ...fault, times: fault.times ?? 1 }),
    clearFaults: () => void state.faults.splice(0),
    async down() {
      if (!listening) return;
      listening = false;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await closed;
    },
    async up() {
      if (listening) return;
      server.listen(port, '127.0.0.1');
      await once(server, 'listening');
      listening = true;
    },
    async writeKubeconfig(file, opts = {}) {
      const user = opts.clientCert
        ? { 'client-certificate': certs.clientCertFile, 'client-key': certs.clientKeyFile }
        : { token: opts.token ?? token };
      const doc = {
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'test', cluster: { server: api.url, 'certificate-authority-data': Buffer.from(certs.ca).toString('base64') } }],
        users: [{ name: 'npd', user }],
        contexts: [{ name: 'test', context: { cluster: 'test', user: 'npd' } }],
        'current-context': 'test',
      };
      // JSON is YAML: kubectl and the agent both read it.
      await writeFile(file, JSON.stringify(doc, null, 2));
      return file;
    },
    async close() {
      await api.down();
    },
  };
  return api;
}

/** A temp kubeconfig path in the certificates' directory. */
export function kubeconfigPath(api: TestApiserver, name = 'kubeconfig'): string {
  return join(api.certs.dir, name);
}

/**
 * Jest hooks: a fresh test apiserver holding the kubelet's `node-a` for each test of the enclosing
 * file or `describe`, on certificates made once. Read `.current` (the apiserver) and `.certs` in tests.
 */
export function useTestApiserver(): PerTest<TestApiserver> {
  return perTestWithCerts(async (certs) => {
    const api = await startTestApiserver({ certs });
    api.addNode(kubeletNode('node-a'));
    return api;
  });
}
