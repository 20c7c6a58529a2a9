/**
 * Time, as a parameter (docs/architecture.md, "Conventions"). Only this file calls `Date.now` and
 * `setTimeout`; code that waits or schedules takes a {@link Clock}, and tests move a
 * {@link ManualClock} with `advance()`.
 */

/** Wall time and waiting. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms`; rejects with the signal's reason when `signal` aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The real clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, Math.max(0, ms));
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

/** A clock that moves only when told to. */
export interface ManualClock extends Clock {
  /** Moves time forward by `ms`, resolving every sleep that falls due, in order. */
  advance(ms: number): Promise<void>;
  /** Number of sleeps not yet due. */
  pending(): number;
}

/**
 * Creates a {@link ManualClock} starting at `start` (ms since the epoch).
 * @example const clock = createManualClock(Date.parse('2026-01-01T00:00:00Z')); await clock.advance(5000);
 */
export function createManualClock(start = 1_767_225_600_000): ManualClock {
  let now = start;
  let seq = 0;
  const timers: { at: number; seq: number; resolve: () => void }[] = [];
  const flush = async (): Promise<void> => {
    for (let i = 0; i < 5; i++) await Promise.resolve();
    await new Promise<void>((r) => setImmediate(r));
  };
  return {
    now: () => now,
    sleep(ms, signal) {
      return new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        const onAbort = (): void => {
          const i = timers.indexOf(t);
          if (i >= 0) timers.splice(i, 1);
          reject(signal?.reason);
        };
        const t = { at: now + Math.max(0, ms), seq: seq++, resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        } };
        timers.push(t);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    },
    async advance(ms) {
      const target = now + ms;
      await flush();
      for (;;) {
        timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
        const next = timers[0];
        if (!next || next.at > target) break;
        timers.shift();
        now = Math.max(now, next.at);
        next.resolve();
        await flush();
      }
      now = target;
      await flush();
    },
    pending: () => timers.length,
  };
}

/** Parses a Go duration (`"5m"`, `"1h30m"`, `"300ms"`, `"0"`) into milliseconds; undefined if invalid. */
export function parseDuration(text: string): number | undefined {
  if (text === '0') return 0;
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
  const unit: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  let matched = 0;
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    total += Number(m[1]) * (unit[m[2] as string] as number);
    matched = re.lastIndex;
  }
  return matched === text.length && text.length > 0 ? total : undefined;
}

/** Formats milliseconds as a Go-style duration: `20m`, `1h30m`, `45s`, `250ms`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  return `${h > 0 ? `${h}h` : ''}${m > 0 ? `${m}m` : ''}${s > 0 ? `${s}s` : ''}`;
}
