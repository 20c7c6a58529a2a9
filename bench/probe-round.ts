/**
 * Cost of one round of the default profile's node probes (fd, pid, inodes, ntp, runtime, conntrack)
 * on this host's real /proc, and proof that no probe spawns a process: child_process is patched to
 * count spawns before the probes are loaded. A plugin run at the end shows the counter works.
 *
 *   npm run build && node dist/bench/probe-round.js [rounds=200] [procRoot=/proc]
 */
import childProcess from 'node:child_process';
import { syncBuiltinESMExports } from 'node:module';
import { join } from 'node:path';

let spawns = 0;
for (const name of ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'] as const) {
  const original = childProcess[name] as (...args: unknown[]) => unknown;
  (childProcess as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
    spawns++;
    return original.apply(childProcess, args);
  };
}
syncBuiltinESMExports();

const { systemClock } = await import('../src/core/clock.js');
const { silentLogger } = await import('../src/core/logger.js');
const { noopTelemetry } = await import('../src/core/telemetry.js');
const { readProfile } = await import('../src/config/load-profile.js');
const { readMonitorFile } = await import('../src/config/load-monitor.js');
const { createRuleCheck } = await import('../src/monitors/rule-check.js');
const { runPlugin } = await import('../src/probes/exec.js');

const rounds = Number(process.argv[2] ?? 200);
const procRoot = process.argv[3] ?? '/proc';
const root = process.cwd(); // run from the repository root (config/ and monitors/)
const ctx = { procRoot, clock: systemClock, logger: silentLogger, telemetry: noopTelemetry, fetch: globalThis.fetch };

const profile = await readProfile('default', { configDir: join(root, 'config'), monitorsDir: join(root, 'monitors') });
const checks: { name: string; run: (s: AbortSignal) => Promise<{ status: string; message: string }> }[] = [];
for (const file of profile.monitorFiles) {
  const config = await readMonitorFile(file);
  if (config.kind !== 'probe') continue;
  config.rules.forEach((rule, i) => checks.push({ name: rule.probe ?? rule.path ?? '?', run: createRuleCheck(config, i, ctx) }));
}
const signal = new AbortController().signal;
const perProbe = new Map<string, number>();
const last = new Map<string, string>();
for (let i = 0; i < 5; i++) for (const c of checks) await c.run(signal); // warm-up
const spawnsBefore = spawns;
const t0 = process.hrtime.bigint();
for (let r = 0; r < rounds; r++) {
  for (const c of checks) {
    const s = process.hrtime.bigint();
    const result = await c.run(signal);
    perProbe.set(c.name, (perProbe.get(c.name) ?? 0) + Number(process.hrtime.bigint() - s));
    last.set(c.name, `${result.status}: ${result.message}`);
  }
}
const totalMs = Number(process.hrtime.bigint() - t0) / 1e6;
const probeSpawns = spawns - spawnsBefore;

const plugin = await runPlugin('/bin/true', [], { timeoutMs: 5000, clock: systemClock });
const pluginSpawns = spawns - spawnsBefore - probeSpawns;

const rows = [...perProbe].map(([name, ns]) => `| ${name.padEnd(10)} | ${(ns / rounds / 1e3).toFixed(1).padStart(10)} | ${last.get(name)} |`);
process.stdout.write(
  [
    `probe round on ${procRoot}: ${checks.length} probes, ${rounds} rounds`,
    '| probe      | µs / run   | last result |',
    '|------------|------------|-------------|',
    ...rows,
    `| round      | ${((totalMs * 1000) / rounds).toFixed(1).padStart(10)} | total ${totalMs.toFixed(1)} ms |`,
    `processes spawned by probes: ${probeSpawns} (counter check: one plugin run counted ${pluginSpawns}, status ${plugin.status})`,
    `rss ${(process.memoryUsage().rss / 1048576).toFixed(1)} MiB`,
    '',
  ].join('\n'),
);
