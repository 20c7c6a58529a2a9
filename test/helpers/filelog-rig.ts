/**
 * A numbered writer on a log file and a filelog source reading it whose consumer pulls only when
 * asked: the tests hold the reader behind, write and rotate, and only then let it read. The only
 * waits are for the source's inotify callback to have opened a file, or for it to go idle, never a time.
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { systemClock } from '../../src/core/clock.js';
import type { Clock } from '../../src/core/clock.js';
import { createMemoryLogger } from '../../src/core/logger.js';
import { createFilelogSource } from '../../src/sources/filelog.js';
import type { FilelogSourceOptions } from '../../src/sources/filelog.js';
import type { LogLine } from '../../src/sources/log-source.js';
import { countOpenFdsUnder } from './open-fds.js';
import { createRecordingTelemetry } from './recording-telemetry.js';
import { waitFor } from './wait.js';

export const rfcLine = (message: string): string => `${new Date().toISOString()} node-1 app: ${message}\n`;
export const everyLine = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/** A numbered writer on `dir`/app.log and a source reading it (options: the source's, `pollMs` 5 by default). */
export async function rig(dir: string, { clock: baseClock, ...options }: FilelogSourceOptions & { clock?: Clock } = {}) {
  const path = join(dir, 'app.log');
  writeFileSync(path, '');
  const telemetry = createRecordingTelemetry();
  const logger = createMemoryLogger();
  let sleeps = 0;
  const base = baseClock ?? systemClock;
  const clock: Clock = { now: () => base.now(), sleep: (ms, signal) => (sleeps++, base.sleep(ms, signal)) };
  const source = createFilelogSource(
    { plugin: 'filelog', file: 'app-monitor.json', source: 'app', logPath: path, lookbackMs: 3_600_000, delayMs: 0, pluginConfig: {} },
    { clock, logger, telemetry, bootTimeMs: Date.now() - 3_600_000, random: () => 0.5 },
    { pollMs: 5, ...options },
  );
  const ac = new AbortController();
  const it = (source.batches as NonNullable<typeof source.batches>)(ac.signal)[Symbol.asyncIterator]();
  const got: number[] = [];
  let next = 0;
  return {
    path, telemetry, logger, got, source,
    /** Appends `k` numbered lines to `to` (default: the log path). */
    write(k: number, to = path): void {
      let text = '';
      for (let i = 0; i < k; i++) text += rfcLine(`line ${next++}`);
      appendFileSync(to, text);
    },
    written: () => next,
    /** Pulls batches until `count` lines (default: every line written) were seen; the source then stays suspended. */
    async catchUp(count = next): Promise<void> {
      const deadline = Date.now() + 20_000;
      while (got.length < count) {
        if (Date.now() > deadline) throw new Error(`caught up to ${got.length} of ${count}`);
        const r = await it.next();
        if (r.done) throw new Error('source ended');
        for (const l of r.value as readonly LogLine[]) got.push(Number(/line (\d+)$/.exec(l.message)?.[1]));
      }
    },
    /** Ends the source as a consumer that stops pulling does (`return()`: its cleanup runs, nothing more is read). */
    stop: async (): Promise<void> => void (await it.return?.(undefined)),
    /** Resolves once the source holds `n` fds in the directory (its inotify callback ran). */
    holding: (n: number) => waitFor(async () => (await countOpenFdsUnder(dir)) === n, `${n} files held`),
    /** Fails if a line arrives before the source has gone back to waiting twice. */
    async expectNothingMore(): Promise<void> {
      const before = sleeps;
      let extra: readonly LogLine[] | undefined;
      const pulled = it.next().then((r) => void (extra = r.done ? undefined : (r.value as readonly LogLine[])));
      await waitFor(() => extra !== undefined || sleeps >= before + 2, 'the source idle');
      expect(extra?.map((l) => l.message)).toBeUndefined();
      ac.abort();
      await pulled;
    },
  };
}

