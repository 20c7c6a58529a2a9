#!/usr/bin/env -S node --disable-sigusr1
/**
 * The `npd` executable (package.json `bin`, the image's ENTRYPOINT): the process around `execute`
 * (cli.ts). It keeps the Node inspector closed on SIGUSR1 (cli.ts turns on V8's linear-time regexp
 * engine), finds the package root, turns SIGTERM/SIGINT into the stop signal of `npd run`, prints on the
 * process's stdout and stderr, and sets the exit status. Nothing imports this file: it runs only as a
 * process, so its tests run the built CLI (test/integration/cli-entry.test.ts,
 * test/integration/inspector-signal.test.ts; imported, it does nothing: test/manifests/dockerfile.test.ts);
 * README Development says why Stryker cannot count them.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger } from '../core/logger.js';
import { nodeFs } from '../core/node-builtins.js';
import { execute, type CliOutput } from './cli.js';

/** The nearest directory at or above `dir` holding a package.json (dist/src/app → the package). */
function packageRoot(dir: string): string {
  const parent = dirname(dir);
  return nodeFs().existsSync(join(dir, 'package.json')) || parent === dir ? dir : packageRoot(parent);
}

/** The process: signals, the regexp engine, the package, the output and the exit status. */
async function main(): Promise<void> {
  // SIGUSR1 would open the Node inspector on 127.0.0.1:9229: under hostNetwork that is the node's
  // loopback, and the agent runs as root. Every launch passes `--disable-sigusr1` (Node then ignores
  // the signal and this listener never runs); for a launch that forgot the flag, the listener keeps the
  // inspector closed (Node starts none while a SIGUSR1 listener exists) and says so.
  process.on('SIGUSR1', () => createLogger().warn('SIGUSR1 ignored: the inspector is disabled in the agent'));

  const root = packageRoot(dirname(fileURLToPath(import.meta.url)));
  const version = (JSON.parse(nodeFs().readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;

  // `npd run` stops cleanly on the first SIGTERM or SIGINT (exit 0); `once`: a second one ends the
  // process at once. The other commands never ask, so the signal ends them at once (Node's default).
  const stopSignal = (): AbortSignal => {
    const controller = new AbortController();
    const stop = (sig: NodeJS.Signals): void => controller.abort(new Error(sig));
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
    return controller.signal;
  };
  const output: CliOutput = { out: (t) => void process.stdout.write(t), err: (t) => void process.stderr.write(t) };
  process.exitCode = await execute(process.argv.slice(2), { stopSignal, output, paths: { root, version } });
}

// Only as the script: importing the file does nothing (the image's compile-cache warm-up imports every
// module; a symlinked bin is resolved).
if (process.argv[1] && fileURLToPath(import.meta.url) === nodeFs().realpathSync(process.argv[1])) await main();
