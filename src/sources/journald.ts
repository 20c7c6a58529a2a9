/**
 * The `journald` source: runs `journalctl --follow -o json` (args as an array, no shell) and reads
 * its stdout line by line. It keeps the last `__CURSOR`, writes it to `<stateDir>/<source>.cursor`
 * every few seconds and when it stops, and resumes with `--after-cursor`, so an agent restart
 * neither loses nor repeats entries (NPD has no cursor and replays its lookback). journalctl
 * exiting is restarted with backoff.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { errorMessage } from '../core/errors.js';
import { calculateRetryDelay } from '../core/retry-delay.js';
import { parseJournalEntry } from './journal-entry.js';
import { createLineFilter } from './line-filter.js';
import { startTimeMs, type LogLine, type LogSource, type SourceConfig, type SourceDeps } from './log-source.js';
import { createSourceState, WAITING_RETRY } from './source-state.js';

/** Options of {@link createJournaldSource}. */
export interface JournaldSourceOptions {
  /** The journalctl binary. @default pluginConfig.journalctl, else `journalctl` from PATH */
  readonly journalctl?: string;
  /** How often the cursor is written to the state dir. @default 5000 */
  readonly cursorPersistMs?: number;
}

/** Inputs of {@link journalctlArgs}. */
export interface JournalctlArgsInput {
  /** NPD's `pluginConfig.source`: a `SYSLOG_IDENTIFIER` match. */
  readonly identifier?: string | undefined;
  readonly logPath?: string | undefined;
  /** Whether `logPath` is a journal directory (`-D`) or a file (`--file`). */
  readonly logPathKind?: 'directory' | 'file' | undefined;
  /** Resume after this entry; wins over `sinceMs`. */
  readonly cursor?: string | undefined;
  /** First start: entries from this time (ms since the epoch) on. */
  readonly sinceMs: number;
}

/** The journalctl argument list (no shell quoting involved). */
export function journalctlArgs(input: JournalctlArgsInput): string[] {
  const args = ['--no-pager', '-o', 'json', '--all', '--follow'];
  if (input.logPath && input.logPathKind === 'directory') args.push('-D', input.logPath);
  else if (input.logPath && input.logPathKind === 'file') args.push('--file', input.logPath);
  if (input.cursor) args.push('--after-cursor', input.cursor);
  else args.push('--since', `@${Math.floor(input.sinceMs / 1000)}`);
  if (input.identifier) args.push(`SYSLOG_IDENTIFIER=${input.identifier}`);
  return args;
}

/** Where a source's cursor is kept. */
export function cursorFilePath(stateDir: string, source: string): string {
  return join(stateDir, `${source.replace(/[^A-Za-z0-9._-]/g, '_')}.cursor`);
}

async function pathKind(path: string): Promise<'directory' | 'file' | undefined> {
  if (!path) return undefined;
  try {
    return (await stat(path)).isDirectory() ? 'directory' : 'file';
  } catch {
    return 'directory'; // let journalctl report the missing path; health shows its exit
  }
}

/** How long a journalctl must stay up, without entries, to count as up. */
const STABLE_MS = 10_000;

/**
 * journalctl's complaints when there is no journal to read on this node (an empty or missing
 * journal directory): the source waits instead of failing.
 */
const NO_JOURNAL = /No journal files were found|No such boot ID in journal|Failed to open .*: No such file or directory/;

/** Why journalctl stopped, and whether that means "no journal here" (waiting) rather than a failure. */
export function journalctlExit(result: { code: number | null; sig: NodeJS.Signals | null; error?: Error }, stderr: string): { why: string; absent: boolean } {
  if (result.error) return { why: errorMessage(result.error), absent: (result.error as NodeJS.ErrnoException).code === 'ENOENT' };
  const said = stderr.trim().split('\n').pop() ?? '';
  const why = `${result.sig ? `killed by ${result.sig}` : `exited with ${result.code}`}${said ? ` (${said})` : ''}`;
  return { why, absent: result.code !== 0 && NO_JOURNAL.test(stderr) };
}

/**
 * Creates the journald source.
 * @example createJournaldSource({ plugin: 'journald', logPath: '/var/log/journal', pluginConfig: { source: 'dockerd' }, … }, deps)
 */
export function createJournaldSource(config: SourceConfig, deps: SourceDeps, options: JournaldSourceOptions = {}): LogSource {
  const bin = options.journalctl ?? config.pluginConfig.journalctl ?? 'journalctl';
  const persistMs = options.cursorPersistMs ?? 5000;
  const random = deps.random ?? Math.random;
  const log = deps.logger;
  const cursorFile = deps.stateDir ? cursorFilePath(deps.stateDir, config.source) : undefined;
  const state = createSourceState(config.source, config.logPath || 'the journal', deps);

  const loadCursor = async (): Promise<string | undefined> => {
    if (!cursorFile) return undefined;
    try {
      return (await readFile(cursorFile, 'utf8')).trim() || undefined;
    } catch {
      return undefined;
    }
  };
  const saveCursor = async (cursor: string): Promise<void> => {
    if (!cursorFile || !deps.stateDir) return;
    try {
      await mkdir(deps.stateDir, { recursive: true });
      await writeFile(`${cursorFile}.tmp`, `${cursor}\n`);
      await rename(`${cursorFile}.tmp`, cursorFile);
    } catch (err) {
      log.warn('cannot save journal cursor', { file: cursorFile, error: errorMessage(err) });
    }
  };
  const stop = async (child: ChildProcess, exited: Promise<unknown>): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timeout = new AbortController();
    const killLater = deps.clock.sleep(2000, timeout.signal).then(() => child.kill('SIGKILL'), () => {});
    await exited;
    timeout.abort();
    await killLater;
  };

  async function* lines(signal: AbortSignal): AsyncGenerator<LogLine> {
    const filter = createLineFilter(config, deps);
    const sinceMs = startTimeMs(deps.clock.now(), deps.bootTimeMs, config.lookbackMs, config.delayMs);
    let cursor = await loadCursor();
    let saved = cursor;
    let savedAt = deps.clock.now();
    let attempt = 0;
    let child: ChildProcess | undefined;
    let exited: Promise<{ code: number | null; sig: NodeJS.Signals | null; error?: Error }> = Promise.resolve({ code: null, sig: null });
    try {
      while (!signal.aborted) {
        const args = journalctlArgs({ identifier: config.pluginConfig.source, logPath: config.logPath, logPathKind: await pathKind(config.logPath), cursor, sinceMs });
        const proc = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
        child = proc;
        exited = new Promise((resolve) => {
          proc.once('error', (error) => resolve({ code: null, sig: null, error }));
          proc.once('close', (code, sig) => resolve({ code, sig }));
        });
        let stderrTail = '';
        proc.stderr?.setEncoding('utf8');
        proc.stderr?.on('data', (d: string) => void (stderrTail = (stderrTail + d).slice(-1000)));
        const onAbort = (): void => void proc.kill('SIGTERM');
        signal.addEventListener('abort', onAbort, { once: true });
        const following = `following journal${config.logPath ? ` ${config.logPath}` : ''}`;
        // journalctl is up once it reads an entry or stays up a while: one that dies at once
        // (a missing journal) must not look healthy between its restarts.
        const settled = new AbortController();
        deps.clock.sleep(STABLE_MS, settled.signal).then(() => state.up(following), () => {});
        void exited.then(() => settled.abort());
        let entries = 0;
        try {
          const rl = createInterface({ input: proc.stdout as NodeJS.ReadableStream, crlfDelay: Infinity });
          for await (const text of rl) {
            const entry = parseJournalEntry(text);
            if (!entry) {
              filter(undefined);
              continue;
            }
            cursor = entry.cursor;
            if (entries++ === 0 && !state.health().alive) {
              settled.abort();
              state.up(following);
            }
            const line = filter(entry.line);
            if (line) yield line;
            if (cursorFile && cursor !== saved && deps.clock.now() - savedAt >= persistMs) {
              await saveCursor(cursor);
              saved = cursor;
              savedAt = deps.clock.now();
            }
          }
        } finally {
          signal.removeEventListener('abort', onAbort);
          settled.abort();
        }
        const result = await exited;
        if (signal.aborted) return;
        attempt = entries > 0 ? 1 : attempt + 1;
        if (attempt >= 4 && entries === 0 && cursor !== undefined && cursor === saved) {
          // A saved cursor journalctl keeps failing on (journal vacuumed, other machine): start over.
          log.warn('journalctl keeps failing with the saved cursor; starting from the lookback', { cursor });
          cursor = undefined;
        }
        const { why, absent } = journalctlExit(result, stderrTail);
        const delay = calculateRetryDelay({ attempt, ...(absent ? WAITING_RETRY : { baseMs: 500, maxMs: 30_000 }), random });
        if (absent) state.waiting(`no journal to read: journalctl ${why}; looking again in ${delay}ms`);
        else state.failing(`journalctl ${why}; restarting in ${delay}ms`);
        try {
          await deps.clock.sleep(delay, signal);
        } catch {
          return;
        }
      }
    } finally {
      if (child) await stop(child, exited);
      if (cursor !== undefined && cursor !== saved) await saveCursor(cursor);
    }
  }

  return { lines, health: () => state.health() };
}
