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
}

async function fingerprint(files: readonly string[]): Promise<string> {
  const parts = await Promise.all(files.map((f) => readFile(f, 'utf8').catch((e: NodeJS.ErrnoException) => `<${e.code ?? 'error'}>`)));
  return parts.join('\u0000');
}

/** Watches until `signal` aborts. Resolves when stopped. */
export async function watchConfigFiles(options: ConfigWatchOptions): Promise<void> {
  const { clock, signal } = options;
  const debounceMs = options.debounceMs ?? 500;
  const pollMs = options.pollMs ?? 30_000;
  let files = options.files();
  let last = await fingerprint(files);
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
      // An event that came during the last reload is not waited for again.
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
      const now = await fingerprint(files);
      if (now === last) continue;
      // What is loaded is what was read before the reload: an edit made during it is a change.
      last = now;
      await options.onChange();
      const next = options.files();
      if (next.join('\u0000') !== files.join('\u0000')) last = await fingerprint((files = next));
    }
  } finally {
    for (const w of watchers) w.close();
  }
}
