/**
 * An early wake for the filelog poll loop: an `fs.watch` on the file's directory (inotify) ends the
 * current poll wait as soon as the file (or a file renamed to or from its name) changes. The poll
 * stays the fallback: if the watch cannot be set up or fails, the source only polls (warned once).
 */
import { watch as fsWatch } from 'node:fs';
import type { FSWatcher, WatchListener } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Clock } from '../core/clock.js';
import { errorMessage } from '../core/errors.js';
import type { Logger } from '../core/logger.js';

/** The part of `fs.watch` used here (replaceable in tests). */
export type WatchFn = (dir: string, options: { persistent: boolean }, listener: WatchListener<string>) => FSWatcher;

/** Waits that end early when the watched file changes. */
export interface FileWaker {
  /**
   * Resolves after `ms` on `clock`, or at once when the file changed since the last wait ended.
   * Rejects with the signal's reason when `signal` aborts.
   */
  wait(ms: number, signal: AbortSignal): Promise<void>;
  /** Starts watching now rather than at the first wait (a no-op once watching or closed). */
  start(): void;
  /** Closes the watcher; later waits are plain clock sleeps. */
  close(): void;
}

/** Called for every event in the directory (any file), before the wait it may end. */
export type DirectoryEventListener = (event: string, file: string | null) => void;

/**
 * Creates a {@link FileWaker} for `path`. The watcher is (re)started lazily at each wait, so a
 * directory that appears later is watched from then on. `onEvent` sees every event of the
 * directory (the filelog source opens a new file at once from it).
 * @example const waker = createFileWaker('/var/log/kern.log', clock, log); await waker.wait(500, signal);
 */
export function createFileWaker(path: string, clock: Clock, log: Logger, watch: WatchFn = fsWatch, onEvent?: DirectoryEventListener): FileWaker {
  const dir = dirname(path);
  const name = basename(path);
  let watcher: FSWatcher | undefined;
  let closed = false;
  let warned = false;
  // A change seen while no wait was running: the next wait returns at once.
  let changed = false;
  let wake: (() => void) | undefined;

  const fail = (err: unknown): void => {
    watcher?.close();
    watcher = undefined;
    if (!warned) log.warn('file watch unavailable, polling only', { path, error: errorMessage(err) });
    warned = true;
  };
  const ensureWatcher = (): void => {
    if (watcher || closed) return;
    try {
      watcher = watch(dir, { persistent: false }, (event, file) => {
        onEvent?.(event, file);
        if (file !== null && file !== name) return;
        if (wake) wake();
        else changed = true;
      });
      watcher.on('error', fail);
    } catch (err) {
      fail(err);
    }
  };

  return {
    start: ensureWatcher,
    async wait(ms, signal) {
      ensureWatcher();
      if (changed) {
        changed = false;
        return;
      }
      const woken = new AbortController();
      const onAbort = (): void => woken.abort(signal.reason);
      signal.addEventListener('abort', onAbort); // removed below, also after an abort
      wake = () => woken.abort();
      try {
        if (signal.aborted) throw signal.reason;
        await clock.sleep(ms, woken.signal);
      } catch (err) {
        if (signal.aborted) throw signal.reason;
        if (!woken.signal.aborted) throw err;
      } finally {
        wake = undefined;
        signal.removeEventListener('abort', onAbort);
      }
    },
    close() {
      closed = true;
      watcher?.close();
      watcher = undefined;
    },
  };
}
