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
import type { Logger } from '../core/logger.js';
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
  /** `logPath` is a journal file (`--file`), not a directory (`-D`; a missing path too, for journalctl to report). */
  readonly logPathIsFile?: boolean | undefined;
  /** Resume after this entry; wins over `sinceMs`. */
  readonly cursor?: string | undefined;
  /** First start: entries from this time (ms since the epoch) on. */
  readonly sinceMs: number;
}

/** The journalctl argument list (no shell quoting involved). */
export function journalctlArgs(input: JournalctlArgsInput): string[] {
  const args = ['--no-pager', '-o', 'json', '--all', '--follow'];
  if (input.logPath) args.push(input.logPathIsFile ? '--file' : '-D', input.logPath);
  if (input.cursor) args.push('--after-cursor', input.cursor);
  else args.push('--since', `@${Math.floor(input.sinceMs / 1000)}`);
  if (input.identifier) args.push(`SYSLOG_IDENTIFIER=${input.identifier}`);
  return args;
}

/** Where a source's cursor is kept. */
export function cursorFilePath(stateDir: string, source: string): string {
  return join(stateDir, `${source.replace(/[^A-Za-z0-9._-]/g, '_')}.cursor`);
}

/** Whether `path` is a file; false for a directory and a missing path (journalctl reports it; health shows its exit). */
const isFile = (path: string): Promise<boolean> => stat(path).then((s) => s.isFile(), () => false);

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
  const said = stderr.trim().split('\n').pop();
  const why = `${result.sig ? `killed by ${result.sig}` : `exited with ${result.code}`}${said ? ` (${said})` : ''}`;
  return { why, absent: result.code !== 0 && NO_JOURNAL.test(stderr) };
}

/** Where a source keeps its cursor across restarts: `<stateDir>/<source>.cursor`, written whole (rename). */
function cursorStore(stateDir: string, source: string, log: Logger): { load(): Promise<string | undefined>; save(cursor: string): Promise<void> } {
  const file = cursorFilePath(stateDir, source);
  return {
    load: () => readFile(file, 'utf8').then((text) => text.trim() || undefined, () => undefined),
    async save(cursor) {
      try {
        await mkdir(stateDir, { recursive: true });
        await writeFile(`${file}.tmp`, `${cursor}\n`);
        await rename(`${file}.tmp`, file);
      } catch (err) {
        log.warn('cannot save journal cursor', { file, error: errorMessage(err) });
      }
    },
  };
}

type Exit = { code: number | null; sig: NodeJS.Signals | null; error?: Error };

/**
 * Creates the journald source.
 * @example createJournaldSource({ plugin: 'journald', logPath: '/var/log/journal', pluginConfig: { source: 'dockerd' }, … }, deps)
 */
export function createJournaldSource(config: SourceConfig, deps: SourceDeps, options: JournaldSourceOptions = {}): LogSource {
  const bin = options.journalctl ?? config.pluginConfig.journalctl ?? 'journalctl';
  const persistMs = options.cursorPersistMs ?? 5000;
  const random = deps.random ?? Math.random;
  const log = deps.logger;
  const store = deps.stateDir === undefined ? undefined : cursorStore(deps.stateDir, config.source, log);
  const state = createSourceState(config.source, config.logPath || 'the journal', deps);
  const following = `following journal${config.logPath ? ` ${config.logPath}` : ''}`;
  const up = (): void => {
    if (!state.health().alive) state.up(following);
  };
  /** Ends journalctl, once: SIGTERM, and SIGKILL if it is still there 2 s later (on the source's clock). */
  const stopper = (proc: ChildProcess, exited: Promise<Exit>): (() => Promise<void>) => {
    let stopped: Promise<void> | undefined;
    return () => (stopped ??= (async () => {
      proc.kill('SIGTERM');
      const timeout = new AbortController();
      deps.clock.sleep(2000, timeout.signal).then(() => proc.kill('SIGKILL'), () => {});
      await exited;
      timeout.abort();
    })());
  };

  async function* lines(signal: AbortSignal): AsyncGenerator<LogLine> {
    const filter = createLineFilter(config, deps);
    const sinceMs = startTimeMs(deps.clock.now(), deps.bootTimeMs, config.lookbackMs, config.delayMs);
    const loaded = await store?.load();
    let cursor = loaded;
    let saved = cursor;
    let savedAt = deps.clock.now();
    let attempt = 0;
    let stop: (() => Promise<void>) | undefined;
    try {
      while (!signal.aborted) {
        const logPathIsFile = await isFile(config.logPath);
        if (signal.aborted) break; // while we looked: no journalctl to start, no abort to hear
        const args = journalctlArgs({ identifier: config.pluginConfig.source, logPath: config.logPath, logPathIsFile, cursor, sinceMs });
        const proc = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
        const exited = new Promise<Exit>((resolve) => {
          proc.once('error', (error) => resolve({ code: null, sig: null, error }));
          proc.once('close', (code, sig) => resolve({ code, sig }));
        });
        const end = stopper(proc, exited);
        stop = end;
        let stderrTail = '';
        proc.stderr.setEncoding('utf8');
        proc.stderr.on('data', (d: string) => void (stderrTail = (stderrTail + d).slice(-1000)));
        signal.addEventListener('abort', end);
        // journalctl is up once it reads an entry or stays up a while: one that dies at once
        // (a missing journal) must not look healthy between its restarts.
        const settled = new AbortController();
        deps.clock.sleep(STABLE_MS, settled.signal).then(up, () => {});
        // On exit, even when the consumer left this generator at a yield and never resumes it.
        void exited.then(() => {
          settled.abort();
          signal.removeEventListener('abort', end);
        });
        let entries = 0;
        for await (const text of createInterface({ input: proc.stdout, crlfDelay: Infinity })) {
          const entry = parseJournalEntry(text);
          if (!entry) {
            filter(undefined);
            continue;
          }
          cursor = entry.cursor;
          entries++;
          up();
          const line = filter(entry.line);
          if (line) yield line;
          if (store && deps.clock.now() - savedAt >= persistMs) {
            await store.save(cursor);
            saved = cursor;
            savedAt = deps.clock.now();
          }
        }
        const result = await exited;
        if (signal.aborted) return;
        attempt = entries > 0 ? 1 : attempt + 1;
        if (attempt >= 4 && loaded !== undefined && cursor === loaded) {
          // The state file's cursor, which journalctl keeps failing on (vacuumed, another machine's): start over.
          log.warn('journalctl keeps failing with the saved cursor; starting from the lookback', { cursor });
          cursor = undefined;
        }
        const { why, absent } = journalctlExit(result, stderrTail);
        const delay = calculateRetryDelay({ attempt, ...(absent ? WAITING_RETRY : { baseMs: 500, maxMs: 30_000 }), random });
        if (absent) state.waiting(`no journal to read: journalctl ${why}; looking again in ${delay}ms`);
        else state.failing(`journalctl ${why}; restarting in ${delay}ms`);
        await deps.clock.sleep(delay, signal).catch(() => {});
      }
    } finally {
      await stop?.();
      // After a dropped cursor and nothing read, none: the next start goes to the lookback at once.
      if (cursor !== saved) await store?.save(cursor ?? '');
    }
  }

  return { lines, health: () => state.health() };
}
