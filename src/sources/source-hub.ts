/**
 * One reader per input: the monitors that read the same input — same plugin, path and plugin
 * settings — share one source (one `/dev/kmsg` reader, one tail per file, one journalctl per unit
 * set), and the hub keeps it across reloads. A monitor rebuilt by a reload subscribes again to the
 * live reader and continues where its predecessor stopped (same file offset, kmsg sequence,
 * journald cursor): a line is handed to a monitor once however many reloads happen.
 *
 * Start points (README "Health and liveness"): an input's reader starts at the earliest start
 * point of the monitors subscribed when it starts (the longest lookback, the shortest delay), and
 * each of them drops the lines before its own. A monitor that subscribes to an input already being
 * read gets its lines from then on: the lookback is history, read once per input.
 *
 * Prefilter (line-prefilter.ts): the reader is asked only for the lines that contain one of the
 * literals of all its monitors together (none left out while one monitor needs every line); the
 * lines it leaves out are still counted, per monitor, as read or old. A monitor whose needs the
 * literals of a batch did not cover (it joined while the batch was read) starts with the next one.
 */
import type { Telemetry } from '../core/telemetry.js';
import { startTimeMs, type LineInterest, type LogLine, type LogSource, type SourceConfig, type SourceDeps, type SourceFactory } from './log-source.js';
import { coversNeeds, unionNeeds, type LineNeeds } from './line-prefilter.js';
import { createSource } from './registry.js';
import type { SourceHealth } from './source-state.js';

/** Shared sources, by input. */
export interface SourceHub {
  /**
   * The source of one monitor. `key` names the monitor across reloads (its file): lines handed to
   * a monitor that stopped and not yet taken go to the next monitor of that key. Throws
   * ConfigError for a bad plugin or plugin settings.
   */
  source(config: SourceConfig, key: string): LogSource;
  /** Holds delivery while monitors are swapped (a reload); returns the release. */
  hold(): () => void;
  /** Stops the readers no monitor reads any more. */
  sweep(): Promise<void>;
  /** Inputs with a reader running. */
  inputs(): number;
  /** Stops every reader. */
  close(): Promise<void>;
}

/** The needs of a consumer that reads every line. */
const EVERY_LINE: LineNeeds = { literals: undefined, context: 0 };

/** Batches queued for one monitor before the reader waits for it (backpressure). */
const MAX_QUEUED = 4;

interface Subscriber {
  readonly config: SourceConfig;
  readonly key: string;
  /** Lines before this (ms) are dropped: the monitor's own start point. */
  readonly startMs: number;
  readonly queue: (readonly LogLine[])[];
  wake: (() => void) | undefined;
  left: boolean;
  /** The lines it needs (see LineInterest). */
  readonly needs: LineNeeds;
  /** What the reader was last asked for that was found to cover this monitor's needs. */
  coveredBy: LineNeeds | undefined;
}

interface Input {
  readonly subscribers: Set<Subscriber>;
  /** Queued lines of a monitor that stopped, for the next monitor of the same key. */
  readonly leftovers: Map<string, (readonly LogLine[])[]>;
  readonly controller: AbortController;
  source: LogSource | undefined;
  pump: Promise<void> | undefined;
  /** Set when the reader ended or failed: its subscribers end too. */
  ended: { error?: unknown } | undefined;
  /** Wakes the reader waiting for a subscriber to take its queue. */
  drained: (() => void) | undefined;
  /** What the reader is asked for: the union of the subscribers' needs. */
  needs: LineNeeds;
  /** What the reader last read of it (for the batch being delivered). */
  handed: LineNeeds;
  /** Lines left out of the batch being delivered: time, count, time, count… */
  readonly omitted: number[];
}

/** The identity of an input: monitors whose configurations agree on it share a reader. */
export function inputKey(config: SourceConfig): string {
  const settings = Object.entries(config.pluginConfig).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([config.plugin, config.logPath, settings]);
}

/** Every line of `lines` as a one-line batch. */
async function* oneByOne(lines: AsyncIterable<LogLine>): AsyncGenerator<readonly LogLine[]> {
  for await (const line of lines) yield [line];
}

/**
 * Creates a hub whose readers are built by `factory` with `deps`.
 * @example const hub = createSourceHub(deps); const source = hub.source(config, config.file);
 */
export function createSourceHub(deps: SourceDeps, factory: SourceFactory = createSource): SourceHub {
  const inputs = new Map<string, Input>();
  let holds = 0;
  let released: Promise<void> = Promise.resolve();
  let release: (() => void) | undefined;

  const each = (input: Input, f: (source: string) => void): void => {
    for (const s of new Set([...input.subscribers].map((sub) => sub.config.source))) f(s);
  };
  /** The reader's telemetry goes to every monitor reading it; each monitor counts its own lines read. */
  const fanOut = (input: Input): Telemetry => ({
    ...deps.telemetry,
    linesRead() {},
    linesSkipped: (_s, reason, n) => each(input, (s) => deps.telemetry.linesSkipped(s, reason, n)),
    sourceRestart: () => each(input, (s) => deps.telemetry.sourceRestart(s)),
    sourceState: (_s, state) => each(input, (s) => deps.telemetry.sourceState(s, state)),
    kmsgRecordsLost: (_s, n) => each(input, (s) => deps.telemetry.kmsgRecordsLost(s, n)),
    fileRotation: (_s, style) => each(input, (s) => deps.telemetry.fileRotation(s, style)),
    fileSkip: (_s, reason) => each(input, (s) => deps.telemetry.fileSkip(s, reason)),
  });
  /** The reader's configuration: the first monitor's, from the earliest start point of all. */
  const readerConfig = (input: Input): SourceConfig => {
    const subs = [...input.subscribers];
    const first = subs[0]?.config as SourceConfig;
    return { ...first, lookbackMs: Math.max(...subs.map((s) => s.config.lookbackMs)), delayMs: Math.min(...subs.map((s) => s.config.delayMs)) };
  };

  const wakeAll = (input: Input): void => {
    for (const sub of input.subscribers) sub.wake?.();
    input.drained?.();
  };
  /** Whether a batch read for `handed` holds every line `sub` needs. */
  const covered = (sub: Subscriber, handed: LineNeeds): boolean => {
    if (sub.coveredBy === handed) return true;
    if (!coversNeeds(handed, sub.needs)) return false;
    sub.coveredBy = handed;
    return true;
  };
  const deliver = (input: Input, batch: readonly LogLine[]): void => {
    const { omitted } = input;
    for (const sub of input.subscribers) {
      if (!covered(sub, input.handed)) continue;
      let old = 0;
      if (sub.startMs !== Number.NEGATIVE_INFINITY) for (const l of batch) if (l.time.getTime() < sub.startMs) old++;
      // Most batches are all new: handed on as they are, not copied per subscriber.
      const mine = old === 0 ? batch : batch.filter((l) => l.time.getTime() >= sub.startMs);
      let read = mine.length;
      for (let i = 0; i < omitted.length; i += 2) {
        if ((omitted[i] as number) < sub.startMs) old += omitted[i + 1] as number;
        else read += omitted[i + 1] as number;
      }
      if (old > 0) deps.telemetry.linesSkipped(sub.config.source, 'old', old);
      if (read > 0) deps.telemetry.linesRead(sub.config.source, read);
      if (mine.length === 0) continue;
      sub.queue.push(mine);
      sub.wake?.();
    }
    omitted.length = 0;
  };
  const pump = async (input: Input): Promise<void> => {
    const { signal } = input.controller;
    const source = factory(readerConfig(input), { ...deps, telemetry: fanOut(input) });
    input.source = source;
    try {
      for await (const batch of source.batches ? source.batches(signal, interestOf(input)) : oneByOne(source.lines(signal))) {
        await released;
        deliver(input, batch);
        while (!signal.aborted && [...input.subscribers].some((s) => s.queue.length > MAX_QUEUED)) {
          await new Promise<void>((resolve) => (input.drained = resolve));
          input.drained = undefined;
        }
      }
      if (!signal.aborted) input.ended = {};
    } catch (error) {
      if (!signal.aborted) input.ended = { error };
    }
    wakeAll(input);
  };
  /** The interest handed to the reader: each read of its literals is remembered for the delivery. */
  const interestOf = (input: Input): LineInterest => ({
    get literals() {
      input.handed = input.needs;
      return input.handed.literals;
    },
    get context() {
      return input.handed.context;
    },
    get contextTests() {
      return input.handed.contextTests;
    },
    omitted: (timeMs, n) => input.omitted.push(timeMs, n),
  });
  const reinterest = (input: Input): void => void (input.needs = unionNeeds([...input.subscribers].map((s) => s.needs)));
  const start = (input: Input): void => {
    if (input.pump || input.subscribers.size === 0 || holds > 0) return;
    input.pump = pump(input);
  };

  const leave = (input: Input, sub: Subscriber): void => {
    if (sub.left) return;
    sub.left = true;
    input.subscribers.delete(sub);
    if (input.subscribers.size > 0) reinterest(input);
    if (sub.queue.length > 0) input.leftovers.set(sub.key, sub.queue.splice(0));
    sub.wake?.();
    input.drained?.();
  };
  const join = (input: Input, config: SourceConfig, key: string, needs: LineNeeds): Subscriber => {
    const leftover = input.leftovers.get(key) ?? [];
    input.leftovers.delete(key);
    // Before the reader starts, a monitor has its own start point; after, it reads from now on.
    const startMs = input.pump ? Number.NEGATIVE_INFINITY : startTimeMs(deps.clock.now(), deps.bootTimeMs, config.lookbackMs, config.delayMs);
    const sub: Subscriber = { config, key, startMs, queue: leftover, wake: undefined, left: false, needs, coveredBy: undefined };
    input.subscribers.add(sub);
    reinterest(input);
    const state = input.source?.health().state;
    if (state) deps.telemetry.sourceState(config.source, state);
    // Monitors started together (without a hold) join the same reader before it starts.
    queueMicrotask(() => start(input));
    return sub;
  };
  const inputOf = (config: SourceConfig): Input => {
    const id = inputKey(config);
    const known = inputs.get(id);
    if (known && !known.ended) return known;
    // A new input: build a source now so a bad configuration throws here, at load.
    factory(config, { ...deps, telemetry: { ...deps.telemetry, sourceState() {} } });
    const input: Input = {
      subscribers: new Set(), leftovers: new Map(), controller: new AbortController(), source: undefined, pump: undefined, ended: undefined, drained: undefined,
      needs: EVERY_LINE, handed: EVERY_LINE, omitted: [],
    };
    if (known) void stop(known);
    inputs.set(id, input);
    return input;
  };
  const stop = async (input: Input): Promise<void> => {
    input.controller.abort(new Error('no monitor reads this input'));
    input.drained?.();
    for (const [id, i] of inputs) if (i === input) inputs.delete(id);
    await input.pump;
  };

  const starting = (config: SourceConfig): SourceHealth => ({ state: 'waiting', alive: false, detail: `starting ${config.logPath || config.plugin}`, sinceMs: deps.clock.now(), restarts: 0 });

  return {
    source(config, key) {
      const input = inputOf(config);
      // Subscribes when called (not at the first next()), so monitors started together share the start.
      const batches = (signal: AbortSignal, interest?: LineInterest): AsyncGenerator<readonly LogLine[]> => {
        const sub = join(input, config, key, interest ? unionNeeds([interest]) : EVERY_LINE);
        if (signal.aborted) leave(input, sub);
        return read(sub, signal);
      };
      async function* read(sub: Subscriber, signal: AbortSignal): AsyncGenerator<readonly LogLine[]> {
        const onAbort = (): void => leave(input, sub);
        signal.addEventListener('abort', onAbort, { once: true });
        try {
          while (!signal.aborted) {
            const batch = sub.queue.shift();
            if (batch) {
              input.drained?.();
              yield batch;
              continue;
            }
            if (input.ended) {
              if (input.ended.error !== undefined) throw input.ended.error;
              return;
            }
            await new Promise<void>((resolve) => (sub.wake = resolve));
            sub.wake = undefined;
          }
        } finally {
          signal.removeEventListener('abort', onAbort);
          leave(input, sub);
        }
      }
      async function* lines(signal: AbortSignal): AsyncGenerator<LogLine> {
        for await (const batch of batches(signal)) yield* batch;
      }
      return { batches, lines, health: () => input.source?.health() ?? starting(config) };
    },
    hold() {
      if (holds++ === 0) released = new Promise<void>((resolve) => (release = resolve));
      let done = false;
      return () => {
        if (done) return;
        done = true;
        if (--holds > 0) return;
        release?.();
        for (const input of inputs.values()) start(input);
      };
    },
    async sweep() {
      const idle = [...inputs.values()].filter((i) => i.subscribers.size === 0);
      for (const input of inputs.values()) input.leftovers.clear();
      await Promise.all(idle.map(stop));
    },
    inputs: () => [...inputs.values()].filter((i) => i.pump !== undefined).length,
    async close() {
      holds = 0;
      release?.();
      await Promise.all([...inputs.values()].map(stop));
    },
  };
}
