/**
 * Notices when monitor files change, for hot reload (NPD cannot: its #893). A ConfigMap update swaps
 * the `..data` symlink in the mounted directory, which `fs.watch` on the directory sees as a rename;
 * a slow poll of the files' contents backs it up where inotify is unavailable or exhausted.
 */
import { watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';

/** Options of {@link watchConfigFiles}. */
export interface ConfigWatchOptions {
  /** The files to watch; asked again after every change (a profile edit can add or remove files). */
  readonly files: () => readonly string[];
  /** Called after the files' contents changed (debounced). */
  readonly onChange: () => Promise<void>;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly signal: AbortSignal;
  /** Quiet time after the last file event before reloading. @default 500 */
  readonly debounceMs?: number;
  /** Content poll period, the fallback when no file event arrives. @default 30000 */
  readonly pollMs?: number;
  /** The files' contents the running configuration was loaded from. @default read at start */
  readonly baseline?: FileSnapshot;
}

/** The contents of watched files when last read (`<ENOENT>` for a missing one), by path. */
export type FileSnapshot = ReadonlyMap<string, string>;

/** Reads `files` now. Take it before loading them, so an edit made while they load is seen as a change. */
export async function snapshotFiles(files: readonly string[]): Promise<FileSnapshot> {
  const parts = await Promise.all(files.map((f) => readFile(f, 'utf8').catch((e: NodeJS.ErrnoException) => `<${e.code ?? 'error'}>`)));
  return new Map(files.map((f, i) => [f, parts[i] ?? '']));
}
const same = (a: FileSnapshot, b: FileSnapshot): boolean => a.size === b.size && [...a].every(([f, text]) => b.get(f) === text);

/** Watches until `signal` aborts. Resolves when stopped. */
export async function watchConfigFiles(options: ConfigWatchOptions): Promise<void> {
  const { clock, signal } = options;
  const debounceMs = options.debounceMs ?? 500;
  const pollMs = options.pollMs ?? 30_000;
  let files = options.files();
  // What the running configuration was loaded from: the caller's snapshot taken before it loaded.
  let last = options.baseline ?? (await snapshotFiles(files));
  let wake: (() => void) | undefined;
  let dirty = false;
  const poke = (): void => {
    dirty = true;
    wake?.();
  };
  const watchers: FSWatcher[] = [];
  for (const dir of new Set(files.map((f) => dirname(f)))) {
    try {
      const w = watch(dir, { persistent: false }, poke);
      w.on('error', (err) => options.logger.warn('config watch failed; polling only', { dir, error: err.message }));
      watchers.push(w);
    } catch (err) {
      options.logger.warn('config watch unavailable; polling only', { dir, error: (err as Error).message });
    }
  }
  try {
    while (!signal.aborted) {
      // An event that came during the last read or reload is not waited for again.
      if (!dirty) {
        await Promise.race([
          clock.sleep(pollMs, signal).catch(() => {}),
          new Promise<void>((resolve) => (wake = resolve)),
        ]);
      }
      wake = undefined;
      if (signal.aborted) break;
      if (dirty) {
        // Let a burst of events (ConfigMap swaps touch several names) settle before reading.
        do {
          dirty = false;
          await clock.sleep(debounceMs, signal).catch(() => {});
        } while (dirty && !signal.aborted);
      }
      const now = await snapshotFiles(files);
      if (same(now, last)) continue;
      await options.onChange();
      // The reload read the files after `now` was taken: an edit made since is still a change, so
      // the next comparison is against `now`, not against the files as they are after the reload.
      const next = options.files();
      const added = await snapshotFiles(next.filter((f) => !now.has(f)));
      last = new Map(next.map((f) => [f, now.get(f) ?? added.get(f) ?? '']));
      files = next;
    }
  } finally {
    for (const w of watchers) w.close();
  }
}
