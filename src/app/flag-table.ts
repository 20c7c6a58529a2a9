/**
 * The flag table: every flag of every command (declared in flag-specs.ts with its parser, default and
 * `--help` text) on one commander program. The program only collects values; turning
 * them into typed settings is settings-read.ts, and parsing a command line is command-line.ts.
 */
import { Command, Option } from 'commander';
import { commonPathFlags, listFlag, podDirFlags, runFlags, type FlagSpec, type ParsedCommand, type Values } from './flag-specs.js';
import type { PackagePaths } from './settings.js';

export { commands, noSuchCommand, runDefaults, type ParsedCommand, type Values } from './flag-specs.js';

/** A commander option from its {@link FlagSpec}. */
function option(spec: FlagSpec): Option {
  const o = new Option(spec.flags, spec.help);
  const { parse } = spec;
  if (parse) o.argParser((value: string, previous: unknown) => parse(`--${o.name()}`, value, previous));
  if (spec.default) o.default(spec.default.value, spec.default.text);
  return spec.hidden ? o.hideHelp() : o;
}
const addFlags = (cmd: Command, specs: readonly FlagSpec[]): Command => specs.reduce((c, s) => c.addOption(option(s)), cmd);

/**
 * The program with every flag; `found` receives the values of the command the command line names.
 */
export function buildProgram(paths: PackagePaths, found: (parsed: ParsedCommand) => void): Command {
  const program = new Command('npd').description('Node problem detector for Kubernetes: a drop-in for node-problem-detector').version(paths.version, '--version');

  addFlags(program.command('run', { isDefault: true }).description('run the agent (the default command)'), runFlags(paths))
    .allowExcessArguments(true)
    .action((o: Values, cmd: Command) => found({ command: 'run', values: o, args: cmd.args }));

  addFlags(program.command('check').description('probe this node once and print a table; exit 0 all OK, 1 a problem, 2 a usage or configuration error, 3 a check could not run'), commonPathFlags(paths))
    .addOption(option(listFlag('--config.custom-plugin-monitor <paths>', 'probe monitor files to run instead of the profile')))
    .addOption(new Option('--json', 'print JSON'))
    .action((o: Values) => found({ command: 'check', values: o, args: [] }));

  addFlags(addFlags(program.command('replay').description('run log files through monitors offline and print each problem'), commonPathFlags(paths)), podDirFlags)
    .argument('<logfile...>', 'log files: kmsg records, syslog/kern.log, dmesg, journalctl -o json')
    .addOption(option(listFlag('--monitor <file>', "monitor file (repeatable; default: the profile's log monitors)")))
    .action((logFiles: string[], o: Values) => found({ command: 'replay', values: o, args: logFiles }));

  program
    .command('validate')
    .description('check monitor files and exit 2 naming the file and field of the first problem')
    .argument('<file...>', 'monitor files')
    .action((list: string[]) => found({ command: 'validate', values: {}, args: list }));
  return program;
}

/** The long name of every declared flag, for the README test. */
export function declaredFlags(paths: PackagePaths): string[] {
  const program = buildProgram(paths, () => {});
  return [...new Set(program.commands.flatMap((c) => c.options.map((o) => `--${o.name()}`)))];
}
