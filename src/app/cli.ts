/**
 * The command line: `npd run` (the agent; the default command, so NPD's flags work unchanged),
 * `npd check` (probe the node once), `npd replay` (run log files through monitors), `npd validate`.
 * Flags are parsed by `command-line.ts`. Exit status: 0 success; 1 `npd check` found a problem, or the
 * agent failed at run time; 2 a usage or configuration error (one line naming the flag or the file
 * and field, no stack trace); 3 `npd check` could not run a check. Nothing here touches the process:
 * `npd.ts` (the executable) gives `execute` its stop signal, output and package paths, so tests run every
 * command in-process.
 */
import { resolve } from 'node:path';
import { systemClock } from '../core/clock.js';
import { ConfigError, errorMessage } from '../core/errors.js';
import { createLogger, silentLogger } from '../core/logger.js';
import { parseRunCommandLine } from './run-command-line.js';
import { enableLinearRegexpEngine } from '../re2/linear-engine.js';
import type { CheckSettings, PackagePaths, ReplaySettings, RunSettings, ValidateSettings } from './settings.js';

/** Exit statuses of `npd`. */
export const exitCodes = { ok: 0, problem: 1, usage: 2, unknown: 3 } as const;

/** Where a command prints its result and its errors; a parameter so tests run the commands in-process. */
export interface CliOutput {
  out(text: string): void;
  err(text: string): void;
}

async function run(settings: RunSettings, signal: AbortSignal): Promise<void> {
  const { runAgent } = await import('./run.js');
  await runAgent(settings, { signal });
}

async function check(settings: CheckSettings, output: CliOutput): Promise<number> {
  const { runCheck } = await import('./check.js');
  const { noopTelemetry } = await import('../core/telemetry.js');
  const { resolveMonitorFiles } = await import('./monitor-files.js');
  // Its records (a plugin's stderr at debug, a failed probe) go where its errors go.
  const logger = createLogger({ level: settings.logLevel, write: (r) => output.err(`${JSON.stringify(r)}\n`) });
  const { monitors } = await resolveMonitorFiles(settings, settings.customPluginMonitors);
  const result = await runCheck({
    monitorFiles: monitors,
    ctx: { procRoot: settings.procPath, clock: systemClock, logger, telemetry: noopTelemetry, fetch: globalThis.fetch },
    json: settings.json,
  });
  output.out(`${result.output}\n`);
  return result.exitCode;
}

async function replay(settings: ReplaySettings, output: CliOutput): Promise<number> {
  const { runReplay, formatReplay } = await import('./replay.js');
  let monitors = settings.monitors?.map((f) => resolve(f));
  if (!monitors) {
    const { readMonitorFile } = await import('../config/load-monitor.js');
    const { resolveMonitorFiles } = await import('./monitor-files.js');
    const all = (await resolveMonitorFiles(settings, [])).monitors;
    const configs = await Promise.all(all.map((f) => readMonitorFile(f)));
    monitors = configs.filter((c) => c.kind === 'log').map((c) => c.file);
  }
  const result = await runReplay({
    monitorFiles: monitors,
    logFiles: settings.logFiles.map((f) => resolve(f)),
    pods: { podsLogDir: settings.podsLogDir, containersLogDir: settings.containersLogDir },
  });
  output.out(formatReplay(result));
  return exitCodes.ok;
}

async function validate(settings: ValidateSettings, output: CliOutput): Promise<number> {
  const { validateFiles } = await import('../config/load-monitor.js');
  const { createRuleCheck } = await import('../monitors/rule-check.js');
  const { probeRegistry } = await import('../probes/registry.js');
  const { noopTelemetry } = await import('../core/telemetry.js');
  // Building a probe's check validates its options (nothing runs): bad ones fail here, not at start.
  const ctx = { procRoot: '/proc', clock: systemClock, logger: silentLogger, telemetry: noopTelemetry, fetch: globalThis.fetch };
  // The same checks as the agent at start: a plugin path must be an executable file.
  const result = await validateFiles([...settings.files], { probeNames: Object.keys(probeRegistry), checkPaths: true }, (m) => {
    if (m.kind === 'probe') m.rules.forEach((_, i) => createRuleCheck(m, i, ctx));
  });
  for (const m of result.messages) (result.ok ? output.out : output.err)(`${m}\n`);
  return result.ok ? exitCodes.ok : exitCodes.usage;
}

/** What a command line runs with: where it prints, the package's paths, and how `run` is stopped. */
export interface CliEnv {
  /** The signal that stops `npd run` (SIGTERM/SIGINT); only `run` asks for it, so the others end as Node's default has them. */
  stopSignal(): AbortSignal;
  readonly output: CliOutput;
  readonly paths: PackagePaths;
}

/** Runs one command line (without node and the script); resolves to the exit status. */
export async function execute(argv: readonly string[], env: CliEnv): Promise<number> {
  const { output } = env;
  try {
    // A plain `npd run` is read without commander (start-up: README, Performance).
    const invocation = parseRunCommandLine(argv, env.paths) ?? (await import('./command-line.js')).parseCommandLine(argv, env.paths);
    // Rule patterns are checked against, and fall back to, V8's linear-time engine. `npd run` turns
    // it on once it listens (run.ts): setting a V8 flag makes Node compile the built-in modules it
    // loads afterwards without their code cache.
    if (invocation.command !== 'run') enableLinearRegexpEngine();
    switch (invocation.command) {
      case 'info':
        output.out(invocation.output);
        return exitCodes.ok;
      case 'run':
        await run(invocation.settings, env.stopSignal());
        return exitCodes.ok;
      case 'check':
        return await check(invocation.settings, output);
      case 'replay':
        return await replay(invocation.settings, output);
      case 'validate':
        return await validate(invocation.settings, output);
    }
  } catch (err) {
    output.err(`npd: ${errorMessage(err)}\n`);
    return err instanceof ConfigError ? exitCodes.usage : exitCodes.problem;
  }
}
