/**
 * The HTTPS test apiserver for in-process agents (agent-harness.ts), one per test file: a kubeconfig
 * for it, and a fresh Node with its own kern.log and monitor file per test, so the requests of one
 * test never count in another.
 */
import { kernLogMonitor } from './monitor-files.js';
import { tempDir } from './agent-harness.js';
import { kubeconfigPath, kubeletNode, startTestApiserver, type TestApiserver } from './test-apiserver.js';

/** What {@link agentCluster} gives a test file (valid once its beforeAll has run). */
export interface AgentCluster {
  readonly api: TestApiserver;
  readonly kubeconfig: string;
  /** The temp directory of the file's kern.logs and monitor files. */
  readonly tmp: ReturnType<typeof tempDir>;
  /** A fresh Node and kern.log for one test, and a kern.log monitor on it. */
  fresh(): { node: string; kernLog: string; monitor: string };
  /** The Node's condition of `type` as the apiserver holds it. */
  condition(node: string, type: string): Record<string, string> | undefined;
}

/** Starts the apiserver in beforeAll and closes it in afterAll; call at the top of a test file. */
export function agentCluster(prefix: string): AgentCluster {
  const tmp = tempDir(`npd-${prefix}-`);
  let api: TestApiserver | undefined;
  let kubeconfig = '';
  let nodes = 0;
  beforeAll(async () => {
    api = await startTestApiserver();
    kubeconfig = await api.writeKubeconfig(kubeconfigPath(api, `${prefix}-kubeconfig`));
  }, 60_000);
  afterAll(() => api?.close());
  const server = (): TestApiserver => {
    if (!api) throw new Error('the test apiserver is not started (agentCluster must be called at the top of a test file)');
    return api;
  };
  return {
    get api() {
      return server();
    },
    get kubeconfig() {
      return kubeconfig;
    },
    tmp,
    fresh() {
      const node = `node-${prefix}-${++nodes}`;
      server().addNode(kubeletNode(node));
      const kernLog = tmp.write(`${node}.log`, '');
      return { node, kernLog, monitor: tmp.write(`${node}.json`, kernLogMonitor(kernLog)) };
    },
    condition: (node, type) => (server().node(node)?.status?.conditions as Record<string, string>[] | undefined)?.find((c) => c.type === type),
  };
}
