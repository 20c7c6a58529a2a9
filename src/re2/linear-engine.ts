/**
 * V8's linear-time regexp engine, switched on explicitly. It is off by default and only a V8 flag
 * turns it on, for the whole process; so the process's entry point decides (the CLI before its
 * command runs, `npd run` once it listens; jest through `test/setup/linear-regexp-engine.ts`), never
 * the import of a module. Setting a V8 flag, here or on Node's command line, makes Node compile the
 * built-in modules it loads afterwards from source instead of its code cache (`require('node:http')`:
 * 4 ms of CPU before, 9 ms after, 14–16 ms with the flag on the command line; README, Performance).
 */
import { nodeV8 } from '../core/node-builtins.js';

/**
 * Turns on V8's linear-time regexp engine for this process: the `l` flag (used to check that a
 * translated pattern can run on it) and the fallback of ordinary regexes to it after excessive
 * backtracking (what keeps a hostile line from stalling the agent). Idempotent.
 */
export function enableLinearRegexpEngine(): void {
  const v8 = nodeV8(); // not an ESM import: the CLI runs this before it listens (node-builtins.ts)
  v8.setFlagsFromString('--enable-experimental-regexp-engine');
  v8.setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');
}

/** Whether the `l` flag is accepted, i.e. {@link enableLinearRegexpEngine} (or the node flag) ran. */
export function linearEngineEnabled(): boolean {
  try {
    new RegExp('', 'l');
    return true;
  } catch {
    return false;
  }
}
