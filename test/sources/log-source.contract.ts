/**
 * The cases every LogSource passes (hono's common.case.test habit): start point, restart after an
 * error, abort. Each source's test file calls {@link runLogSourceContract} with a fixture factory.
 */
import type { LogSource } from '../../src/sources/log-source.js';
import type { TelemetryCounts } from '../helpers/recording-telemetry.js';
import { takeNext } from '../helpers/async-lines.js';
import { waitFor } from '../helpers/wait.js';

/** One message to put into the source's input, stamped at `timeMs`. */
export interface FixtureEntry {
  readonly message: string;
  readonly timeMs: number;
}

/** A source under test and the means to feed it. */
export interface LogSourceFixture {
  readonly source: LogSource;
  readonly counts: TelemetryCounts;
  /** "Now" (ms) as the source sees it at creation. */
  readonly nowMs: number;
  /** False when old lines are filtered before the source sees them (journalctl `--since`). @default true */
  readonly countsOld?: boolean;
  /** Appends entries to the source's input. */
  write(entries: readonly FixtureEntry[]): Promise<void>;
  /** Makes a broken input (see `broken`) good again. */
  repair(): Promise<void>;
  /** fds / child processes the source holds on the fixture right now. */
  openResources(): Promise<number>;
  cleanup(): Promise<void>;
}

/** Options every fixture factory understands. */
export interface FixtureOptions {
  readonly lookbackMs: number;
  /** Start with an input that makes the source fail (read error, dying child) until `repair()`. */
  readonly broken?: boolean;
}

/** Runs the shared cases against the fixtures `make` builds. */
export function runLogSourceContract(name: string, make: (options: FixtureOptions) => Promise<LogSourceFixture>): void {
  describe(`${name}: LogSource contract`, () => {
    let f: LogSourceFixture | undefined;
    afterEach(async () => {
      await f?.cleanup();
      f = undefined;
    });

    test('start point: lines older than the lookback are skipped, newer ones yielded in order', async () => {
      f = await make({ lookbackMs: 5 * 60_000 });
      await f.write([
        { message: 'old one', timeMs: f.nowMs - 20 * 60_000 },
        { message: 'old two', timeMs: f.nowMs - 10 * 60_000 },
        { message: 'new one', timeMs: f.nowMs - 60_000 },
        { message: 'new two', timeMs: f.nowMs },
      ]);
      const ac = new AbortController();
      const it = f.source.lines(ac.signal)[Symbol.asyncIterator]();
      expect((await takeNext(it, 2)).map((l) => l.message)).toEqual(['new one', 'new two']);
      await f.write([{ message: 'later', timeMs: f.nowMs + 1000 }]);
      const [later] = await takeNext(it, 1);
      expect(later?.message).toBe('later');
      expect(later?.time.getTime()).toBe(f.nowMs + 1000);
      if (f.countsOld !== false) expect(f.counts.skipped.old).toBe(2);
      expect(f.counts.linesRead).toBe(3);
      ac.abort();
      // A generator suspended at a yield runs its cleanup only when resumed or returned.
      await it.return?.();
    });

    test('restart after an error: the source recovers, counts the restart and says so in health()', async () => {
      f = await make({ lookbackMs: 5 * 60_000, broken: true });
      const fx = f;
      const ac = new AbortController();
      const it = fx.source.lines(ac.signal)[Symbol.asyncIterator]();
      const first = takeNext(it, 2);
      await waitFor(() => fx.counts.restarts >= 1, 'a restart', 20_000);
      expect(fx.source.health().restarts).toBeGreaterThanOrEqual(1);
      await fx.repair();
      await fx.write([{ message: 'after repair', timeMs: fx.nowMs }, { message: 'and more', timeMs: fx.nowMs + 1 }]);
      expect((await first).map((l) => l.message)).toEqual(['after repair', 'and more']);
      expect(fx.source.health().alive).toBe(true);
      ac.abort();
      await it.return?.();
    });

    test('abort ends the iteration and releases every fd/child', async () => {
      f = await make({ lookbackMs: 5 * 60_000 });
      const fx = f;
      await fx.write([{ message: 'one', timeMs: fx.nowMs }]);
      const ac = new AbortController();
      const got: string[] = [];
      const done = (async () => {
        for await (const l of fx.source.lines(ac.signal)) got.push(l.message);
      })();
      await waitFor(() => got.length === 1, 'the first line', 20_000);
      expect(await fx.openResources()).toBeGreaterThan(0);
      ac.abort();
      await done;
      await waitFor(async () => (await fx.openResources()) === 0, 'resources released', 10_000);
      expect(got).toEqual(['one']);
    });
  });
}
