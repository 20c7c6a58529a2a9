/**
 * The command line, parsed once into one readonly typed value per command ({@link Invocation}).
 * Every flag is declared in flag-specs.ts with its parser (commander's program: flag-table.ts); a bad value is a ConfigError naming the
 * flag (`command line: --port: must be …`), which the CLI prints on one line and exits 2 for.
 * Nothing here runs anything: `parseCommandLine` is pure, so tests parse in-process. A plain `npd run`
 * command line is read before this module is loaded, without commander (run-command-line.ts).
 */
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../core/errors.js';
import { bad } from './flag-values.js';
import { buildProgram, noSuchCommand } from './flag-table.js';
import { readSettings } from './settings-read.js';
import type { Invocation, PackagePaths } from './settings.js';

/**
 * Turns commander's own errors (unknown flag, missing value) into one-line ConfigErrors; `help` is
 * the help of the command that failed (`npd check --help`).
 */
function usageError(err: CommanderError, help: string, argv: readonly string[]): ConfigError {
  const quoted = /'([^']+)'/.exec(err.message)?.[1] ?? '';
  const name = quoted.split(/[ ,=]/)[0] ?? quoted;
  switch (err.code) {
    case 'commander.unknownOption':
      return bad(name, `unknown flag (see ${help})`);
    // An unknown command word reaches the default command (`run`, settings-read.ts says so); only
    // `npd help frobnicate` fails in commander, after printing the program's help where nobody reads it.
    case 'commander.help':
      return noSuchCommand(argv.slice(argv.indexOf('help') + 1).join(' '));
    case 'commander.optionMissingArgument':
      return bad(name, 'needs a value');
    case 'commander.missingArgument':
      return bad(`<${name}>`, `missing (see ${help})`);
    default:
      return bad('', err.message.replace(/^error: /, ''));
  }
}

/**
 * Parses `argv` (without node and the script: `['run', '--port=0']`). Throws ConfigError naming the
 * flag for any bad value, unknown flag or command.
 * @example parseCommandLine(['check', '--json'], paths) // { command: 'check', settings: { json: true, … } }
 */
export function parseCommandLine(argv: readonly string[], paths: PackagePaths): Invocation {
  let result: Invocation | undefined;
  let output = '';
  const program = buildProgram(paths, (parsed) => (result = readSettings(parsed)));
  let failed: Command | undefined;
  const quiet = (cmd: Command): void => {
    cmd
      .exitOverride((err) => {
        failed ??= cmd;
        throw err;
      })
      .configureOutput({ writeOut: (s) => void (output += s), writeErr: () => {} });
    cmd.commands.forEach(quiet);
  };
  quiet(program);
  try {
    program.parse([...argv], { from: 'user' });
  } catch (err) {
    if (!(err instanceof CommanderError)) throw err;
    if (err.exitCode === 0) return { command: 'info', output };
    throw usageError(err, failed && failed !== program ? `npd ${failed.name()} --help` : 'npd --help', argv);
  }
  if (!result) return { command: 'info', output };
  return result;
}
