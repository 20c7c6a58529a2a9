/**
 * Runs the built CLI (`dist/src/app/npd.js`, made by `npm run build`, which test/run.sh does first) as a
 * child process with Node 24, the way an operator runs it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** Node 24 from the `node` devDependency. */
export const node = join(repoRoot, 'node_modules/.bin/node');
/**
 * The Node flags of every launch of the agent (Dockerfile ENTRYPOINT, package.json scripts, the
 * bin's shebang): no inspector on SIGUSR1. V8's linear-time regexp fallback is switched on by the
 * CLI itself (`enableLinearRegexpEngine`), not by a V8 flag on the command line: any V8 flag there
 * makes Node reject its built-in modules' code cache (start-up: README, Performance).
 */
export const nodeFlags = ['--disable-sigusr1'] as const;
/** The built CLI. */
export const cli = join(repoRoot, 'dist/src/app/npd.js');

/** Throws a clear error when the build is missing, instead of a confusing spawn failure. */
export function requireBuild(): void {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run \`npm run build\` first (test/run.sh does)`);
}

/** Result of a finished command. */
export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `npd ARGS` to completion (`flags`: the Node flags, {@link nodeFlags} unless given). */
export function runCli(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; flags?: readonly string[] } = {}): Promise<CliResult> {
  requireBuild();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(node, [...(options.flags ?? nodeFlags), cli, ...args], { cwd: options.cwd ?? repoRoot, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
  });
}

/** A long-running `npd` process whose output can be awaited. */
export interface CliProcess {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves when `predicate` holds for stdout+stderr, rejects after `timeoutMs`. */
  waitFor(predicate: (out: string, err: string) => boolean, timeoutMs?: number, what?: string): Promise<void>;
  /** SIGTERM, then waits for exit. */
  stop(): Promise<number | null>;
}

/** Starts `npd ARGS` in the background (`flags`: the Node flags, {@link nodeFlags} unless given). */
export function startCli(args: readonly string[], options: { env?: NodeJS.ProcessEnv; flags?: readonly string[] } = {}): CliProcess {
  requireBuild();
  const child = spawn(node, [...(options.flags ?? nodeFlags), cli, ...args], { cwd: repoRoot, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const waiters = new Set<() => void>();
  const poke = (): void => waiters.forEach((w) => w());
  child.stdout!.on('data', (d: Buffer) => ((out += d.toString()), poke()));
  child.stderr!.on('data', (d: Buffer) => ((err += d.toString()), poke()));
  const exited = new Promise<number | null>((r) => child.on('close', (code) => (poke(), r(code))));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    waitFor(predicate, timeoutMs = 20_000, what = 'output') {
      return new Promise((resolvePromise, reject) => {
        const check = (): void => {
          if (predicate(out, err)) {
            cleanup();
            resolvePromise();
          } else if (child.exitCode !== null) {
            cleanup();
            reject(new Error(`npd exited (${child.exitCode}) before ${what}\nstdout:\n${out}\nstderr:\n${err}`));
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`timed out waiting for ${what}\nstdout:\n${out}\nstderr:\n${err}`));
        }, timeoutMs);
        const cleanup = (): void => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
