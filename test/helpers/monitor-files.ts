/** Monitor files for agent tests: a filelog monitor on a kern.log and the shipped probe monitors. */
import { cpSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './cli.js';

/** A rule of a monitor file. */
export type RuleSpec = Readonly<Record<string, unknown>>;

/** The OOM kill rule of the shipped kernel monitor (temporary: an Event). */
export const oomRule: RuleSpec = { type: 'temporary', reason: 'OOMKilling', pattern: 'Killed process \\d+ (.+) total-vm:\\d+kB.*' };
/** The DockerHung rule of the shipped kernel monitor (permanent: KernelDeadlock). */
export const dockerHungRule: RuleSpec = { type: 'permanent', condition: 'KernelDeadlock', reason: 'DockerHung', pattern: 'task docker:\\w+ blocked for more than \\w+ seconds\\.' };
/** The OOM kill line of `pid`. */
export const oomLine = (pid: number): string => `Killed process ${pid} (java) total-vm:1000kB, anon-rss:500kB, file-rss:0kB, shmem-rss:0kB`;
export const dockerHungLine = 'INFO: task docker:1234 blocked for more than 120 seconds.';

/** NPD's config/kernel-monitor-filelog.json pluginConfig: syslog's kern.log lines. */
export const kernLogPluginConfig = { timestamp: '^.{15}', message: 'kernel: \\[.*\\] (.*)', timestampFormat: 'Jan _2 15:04:05' } as const;

/** A filelog monitor on the kern.log at `logPath` with the KernelDeadlock condition. */
export function kernLogMonitor(logPath: string, options: { source?: string; rules?: readonly RuleSpec[]; lookback?: string; extra?: Record<string, unknown> } = {}): string {
  return `${JSON.stringify({
    plugin: 'filelog',
    pluginConfig: kernLogPluginConfig,
    logPath,
    lookback: options.lookback ?? '5m',
    bufferSize: 10,
    source: options.source ?? 'kernel-monitor',
    conditions: [{ type: 'KernelDeadlock', reason: 'KernelHasNoDeadlock', message: 'kernel has no deadlock' }],
    rules: options.rules ?? [oomRule, dockerHungRule],
    ...options.extra,
  }, null, 2)}\n`;
}

/** A shipped monitor file. */
export const shippedMonitor = (name: string): string => join(repoRoot, 'monitors', name);
/**
 * A procfs root for the whole agent: a copy of test/fixtures/proc/NAME under `dir` plus the `stat`
 * the agent reads its boot time from.
 */
export function procRoot(name: string, dir: string): string {
  const root = join(dir, `proc-${name}`);
  if (!existsSync(root)) {
    cpSync(join(repoRoot, 'test/fixtures/proc', name), root, { recursive: true });
    writeFileSync(join(root, 'stat'), `cpu  1 2 3 4\nbtime ${Math.floor(Date.now() / 1000) - 3600}\n`);
  }
  return root;
}
