/**
 * `npd run`'s command line read without commander, so the agent listens before commander is loaded
 * (commander and the `child_process` it imports cost ~30 ms of CPU at start: README, Performance).
 * It takes only a plain command line: `run` or no command, then flags of flag-specs.ts written
 * `--flag=value`, `--flag value`, `--switch` or `--no-reload`, and reads the values with the same
 * parsers and defaults as commander does (a bad value is the same ConfigError). Anything else (help,
 * `--version`, an unknown flag or word, `--`, a missing value) is left to command-line.ts: undefined.
 */
import { readSettings } from './settings-read.js';
import { runFlags, type FlagSpec } from './flag-specs.js';
import type { Invocation, PackagePaths } from './settings.js';

interface Flag {
  readonly spec: FlagSpec;
  /** Commander's attribute name: `--config.system-log-monitor` → `config.systemLogMonitor`, `--no-reload` → `reload`. */
  readonly key: string;
  readonly value: 'none' | 'required' | 'optional';
  readonly negated: boolean;
}

function flagTable(paths: PackagePaths): Map<string, Flag> {
  const table = new Map<string, Flag>();
  for (const spec of runFlags(paths)) {
    const [long = '', arg = ''] = spec.flags.split(' ');
    const negated = long.startsWith('--no-');
    const key = long.slice(negated ? 5 : 2).replace(/-([^-])/g, (_, c: string) => c.toUpperCase());
    table.set(long, { spec, key, value: arg.startsWith('<') ? 'required' : arg.startsWith('[') ? 'optional' : 'none', negated });
  }
  return table;
}

/**
 * The `run` invocation of a plain command line, or undefined for command-line.ts to parse.
 * @example parseRunCommandLine(['--port=0', '--standalone'], paths) // { command: 'run', settings: { port: 0, console: true, … } }
 */
export function parseRunCommandLine(argv: readonly string[], paths: PackagePaths): Invocation | undefined {
  const args = argv[0] === 'run' ? argv.slice(1) : argv;
  const table = flagTable(paths);
  const values: Record<string, unknown> = {};
  for (const f of table.values()) if (f.spec.default) values[f.key] = f.spec.default.value;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    const eq = arg.indexOf('=');
    const name = eq < 0 ? arg : arg.slice(0, eq);
    const flag = arg.startsWith('--') ? table.get(name) : undefined;
    if (!flag) return undefined;
    let value: string | undefined;
    if (eq >= 0) {
      if (flag.value === 'none') return undefined;
      value = arg.slice(eq + 1);
    } else if (flag.value === 'required') {
      // As commander: the next word is the value, even one that starts with a dash.
      value = args[++i];
      if (value === undefined) return undefined;
    } else if (flag.value === 'optional') {
      const next = args[i + 1];
      if (next !== undefined && next.startsWith('-') && !next.startsWith('--')) return undefined;
      if (next !== undefined && !next.startsWith('--')) value = args[++i];
    }
    const { parse } = flag.spec;
    values[flag.key] = value === undefined ? !flag.negated : parse ? parse(name, value, values[flag.key]) : value;
  }
  return readSettings({ command: 'run', values, args: [] });
}
