/**
 * The apiserver row of the footprint bench (bench/agent-footprint.ts): one whole agent (default
 * profile, Kubernetes exporter, the default heartbeat) on the test apiserver under a Node of its own,
 * running beside the other phases for `minutes`; every request for its Node and its Events is
 * counted by the test apiserver, and every LIST or WATCH from anyone.
 */
import { join } from 'node:path';
import { isListOrWatch, type LoggedRequest } from '../../test/helpers/test-apiserver-routes.js';
import { kubeletNode, type TestApiserver } from '../../test/helpers/test-apiserver.js';
import { startAgentProcess } from './agent-process.js';

/** What the apiserver phase needs from the bench. */
export interface ApiserverSettings {
  readonly node: string;
  readonly cli: string;
  readonly dir: string;
  readonly api: TestApiserver;
  readonly kubeconfig: string;
  /** How long the agent runs, from its spawn. */
  readonly minutes: number;
  readonly env: NodeJS.ProcessEnv;
  readonly nodeFlags: readonly string[];
}

type Row = [figure: string, now: string, target: string, measured: string];
const nodeName = 'bench-steady-node';
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Whether the request is about `name`: its Node (object or status) or an Event whose object it is. */
function concerns(r: LoggedRequest, name: string): boolean {
  if (r.path.endsWith(`/nodes/${name}`) || r.path.endsWith(`/nodes/${name}/status`)) return true;
  const involved = (r.body as { involvedObject?: { name?: unknown } } | undefined)?.involvedObject;
  return r.path.includes('/events') && involved?.name === name;
}

/** Counts by method and path kind, e.g. `GET node 1, PATCH status 12`. */
function breakdown(rs: readonly LoggedRequest[]): string {
  const kinds = new Map<string, number>();
  for (const r of rs) {
    const kind = `${r.method} ${r.path.endsWith('/status') ? 'status' : r.path.includes('/events') ? 'event' : 'node'}`;
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  }
  return [...kinds].map(([k, n]) => `${k} ${n}`).join(', ') || 'none';
}

/**
 * Starts the agent; `finish()` waits until `minutes` have passed since its spawn, stops it and
 * gives the row. In the first hour the count includes the start (one GET, one PATCH).
 */
export async function startApiserverPhase(s: ApiserverSettings): Promise<{ finish(): Promise<Row> }> {
  s.api.addNode(kubeletNode(nodeName));
  const args = [`--kubeconfig=${s.kubeconfig}`, `--hostname-override=${nodeName}`, `--state-dir=${join(s.dir, 'steady-state')}`, '--profile=default', '--log-level=warn'];
  const t0 = Date.now();
  const agent = await startAgentProcess(s.node, s.cli, args, { cwd: s.dir, env: s.env, nodeFlags: s.nodeFlags });
  return {
    async finish() {
      await sleep(Math.max(0, t0 + s.minutes * 60_000 - Date.now()));
      agent.assertAlive();
      const t1 = Date.now();
      await agent.stop();
      const window = s.api.requests.filter((r) => r.time >= t0 && r.time <= t1);
      const own = window.filter((r) => concerns(r, nodeName));
      const listWatch = window.filter(isListOrWatch).length;
      const failed = own.filter((r) => r.status >= 400).length;
      // Events report problems this machine's logs really hold (the kmsg monitors read /dev/kmsg): shown apart.
      const events = own.filter((r) => r.path.includes('/events'));
      const reasons = new Map<string, number>();
      for (const e of events) {
        const reason = String((e.body as { reason?: unknown } | undefined)?.reason ?? '?');
        reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
      }
      const minutes = ((t1 - t0) / 60_000).toFixed(1);
      const eventText = events.length > 0 ? `; plus ${events.length} Events for problems in this machine's logs (${[...reasons].map(([r, n]) => `${r} ${n}`).join(', ')})` : '';
      const measured = `${own.length - events.length} in ${minutes} min from spawn (${breakdown(own.filter((r) => !events.includes(r)))}; ${failed} failed)${eventText}; LIST/WATCH ${listWatch}`;
      return ['apiserver requests per node-hour, default heartbeat (counted by the test apiserver)', 'not measured', '≤ 13, no LIST or WATCH', measured];
    },
  };
}
