/** A scripted reader and a hub over it, for the source-hub tests. */
import { createManualClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import { noopTelemetry } from '../../src/core/telemetry.js';
import type { LineInterest, LogLine, LogSource, SourceConfig, SourceDeps } from '../../src/sources/log-source.js';
import { createSourceHub } from '../../src/sources/source-hub.js';
import type { SourceHealth } from '../../src/sources/source-state.js';

export const NOW = 1_800_000_000_000;
export const config = (source: string, more: Partial<SourceConfig> = {}): SourceConfig => ({
  plugin: 'kmsg', file: `${source}.json`, source, logPath: '/dev/kmsg', lookbackMs: 60_000, delayMs: 0, pluginConfig: {}, ...more,
});
export const line = (msAgo: number, message: string): LogLine => ({ time: new Date(NOW - msAgo), message });

/** A reader whose batches the test pushes; it records what it was built with and asked for. */
export function scripted() {
  // Every source built (the hub builds one to check a new input's configuration, then its reader) and those read.
  const built: { config: SourceConfig; deps: SourceDeps }[] = [];
  const readers: { config: SourceConfig; deps: SourceDeps; aborted: boolean }[] = [];
  const queue: (readonly LogLine[] | Error | 'end')[] = [];
  // Readers waiting for the queue (two inputs read the one queue in turn).
  const waiting = new Set<() => void>();
  const wakeAll = (): void => {
    for (const w of waiting) w();
    waiting.clear();
  };
  let pulled = 0;
  let interest: LineInterest | undefined;
  let aborted = false;
  const health: SourceHealth = { state: 'up', alive: true, detail: 'reading', sinceMs: NOW, restarts: 0 };
  const factory = (c: SourceConfig, deps: SourceDeps): LogSource => {
    if (c.pluginConfig.bad) throw new Error(`bad setting ${c.pluginConfig.bad}`);
    built.push({ config: c, deps });
    return {
      async *lines() {},
      async *batches(signal, i) {
        const reading = { config: c, deps, aborted: false };
        readers.push(reading);
        interest = i;
        signal.addEventListener('abort', () => {
          aborted = true;
          reading.aborted = true;
          wakeAll();
        });
        for (;;) {
          interest?.literals; // a read asks for the literals, as the filelog source does
          while (queue.length === 0 && !signal.aborted) await new Promise<void>((r) => void waiting.add(r));
          if (signal.aborted) return;
          const next = queue.shift();
          if (next === 'end') return;
          if (next instanceof Error) throw next;
          pulled++;
          yield next as readonly LogLine[];
        }
      },
      health: () => health,
    };
  };
  const push = (...items: (readonly LogLine[] | Error | 'end')[]): void => {
    queue.push(...items);
    wakeAll();
  };
  return { factory, built, readers, push, pulled: () => pulled, interest: () => interest, aborted: () => aborted };
}

export function setup() {
  const calls: string[] = [];
  const telemetry = {
    ...noopTelemetry,
    linesRead: (s: string, n = 1) => void calls.push(`${s} read ${n}`),
    linesSkipped: (s: string, r: string, n = 1) => void calls.push(`${s} ${r} ${n}`),
    sourceState: (s: string, st: string) => void calls.push(`${s} ${st}`),
    sourceRestart: (s: string) => void calls.push(`${s} restart`),
    kmsgRecordsLost: (s: string, n: number) => void calls.push(`${s} lost ${n}`),
    fileRotation: (s: string, st: string) => void calls.push(`${s} rotation ${st}`),
    fileSkip: (s: string, r: string) => void calls.push(`${s} file-skip ${r}`),
  };
  const deps: SourceDeps = { clock: createManualClock(NOW), logger: silentLogger, telemetry, bootTimeMs: NOW - 3_600_000 };
  const reader = scripted();
  const hub = createSourceHub(deps, reader.factory);
  return { calls, deps, reader, hub };
}

/** Reads batches of `source` into `got` until aborted; resolves when the reading ends (or rejects with its error). */
export function consume(s: LogSource, signal: AbortSignal, interest?: LineInterest) {
  const got: string[] = [];
  const done = (async () => {
    for await (const batch of (s.batches as NonNullable<LogSource['batches']>)(signal, interest)) got.push(...batch.map((l) => l.message));
  })();
  return { got, done };
}

export const settle = async (): Promise<void> => {
  for (let i = 0; i < 10; i++) await new Promise<void>((r) => setImmediate(r));
};
