/**
 * The built agent in a PID namespace of its own (`unshare --pid --fork --mount-proc`), as the image
 * runs it in a container: under `tini --` as PID 1 (the image's ENTRYPOINT), or as PID 1 itself.
 * Plugins' orphans are re-parented to that PID 1. The host's /proc still shows every process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { cli, node, nodeFlags } from './cli.js';
import { freePort } from './net.js';
import { eventually } from './wait.js';

/** `ppid`, `state` and argv of every process on the host, by pid. */
export function hostProcesses(): Map<number, { ppid: number; state: string; argv: string[] }> {
  const out = new Map<number, { ppid: number; state: string; argv: string[] }>();
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const argv = readFileSync(`/proc/${e}/cmdline`, 'utf8').split('\0');
      out.set(Number(e), { state: f[0]!, ppid: Number(f[1]), argv });
    } catch {
      // gone
    }
  }
  return out;
}

/** An agent running as PID 1 of its namespace, or under an init that is. */
export interface NamespacedAgent {
  /** The `unshare` process (outside the namespace). */
  readonly unshare: ChildProcess;
  /** The host pid of PID 1 of the namespace. */
  readonly initPid: number;
  /** SIGTERM to PID 1; resolves once the namespace is gone (its PID 1 exiting kills everything in it). */
  stop(): Promise<void>;
}

/** Starts `npd run --standalone` with one custom plugin monitor in a new PID namespace, under `init` (e.g. `['tini', '--']`, or `[]`). */
export async function startAgentInPidNamespace(init: readonly string[], monitorFile: string): Promise<NamespacedAgent> {
  const port = await freePort();
  const argv = ['--pid', '--fork', '--mount-proc', ...init, node, ...nodeFlags, cli, 'run', '--standalone', `--config.custom-plugin-monitor=${monitorFile}`, `--port=${port}`, '--prometheus-port=0', '--no-reload'];
  const unshare = spawn('unshare', argv, { stdio: 'ignore' });
  // PID 1 of the namespace is unshare's only child.
  const initPid = await eventually(() => [...hostProcesses()].find(([, p]) => p.ppid === unshare.pid)?.[0], 'PID 1 of the namespace', 20_000, 50);
  return {
    unshare,
    initPid,
    async stop() {
      const exited = new Promise((r) => unshare.once('close', r));
      process.kill(initPid, 'SIGTERM');
      await exited;
    },
  };
}
