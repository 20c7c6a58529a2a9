/**
 * A log monitor (NPD's system-log-monitor): lines from a {@link LogSource} through the rule engine,
 * Status out. The first report is the initial status; then one per line that produced events or
 * condition changes, and one per expiry (`expireAfter`), scheduled on the injected clock.
 */
import type { Clock } from '../core/clock.js';
import { errorMessage } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { Condition, Event, Status } from '../core/problem.js';
import { describeMonitor } from './describe-monitor.js';
import type { LogLine, LogSource } from '../sources/log-source.js';
import { unionNeeds } from '../sources/line-prefilter.js';
import type { Telemetry } from '../core/telemetry.js';
import type { LogMonitorConfig } from '../config/monitor-config.js';
import type { Monitor, MonitorHealth, StatusSink } from './monitor.js';
import { createRuleEngine } from './rule-engine.js';
import type { RuleEngineResult } from './rule-engine.js';

/** What a log monitor gets from the agent. */
export interface LogMonitorDeps {
  readonly source: LogSource;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly telemetry: Telemetry;
  /** Same as {@link LogMonitorOptions.initialConditions} (either place works; options win). */
  readonly initialConditions?: readonly Condition[];
  /**
   * Sees every line's message and may rewrite the events it produced (the built-in pod OOM
   * attribution, `src/pods/oom-events.ts`); with `literals`, only messages that contain one of
   * them need to reach it. @default none
   */
  readonly annotate?: ((message: string, events: readonly Event[]) => readonly Event[]) & { readonly literals?: readonly string[] };
}

/** Options of {@link createLogMonitor}. */
export interface LogMonitorOptions {
  /**
   * Conditions to start from instead of all False (the agent passes what the Node currently shows),
   * so a restart does not flip a True condition to False and back.
   * @default undefined (every condition starts False with its default reason)
   */
  readonly initialConditions?: readonly Condition[];
}

/** Rule evaluation time is measured on one line in this many (timing every line costs more than matching most). */
const TIMING_SAMPLE = 1024; // a power of two

/** Creates a log monitor for one validated monitor file. */
export function createLogMonitor(config: LogMonitorConfig, deps: LogMonitorDeps, options: LogMonitorOptions = {}): Monitor {
  const { source, clock, logger, telemetry } = deps;
  // Set when the monitor itself is done: stopped, or its source ended or threw. Until then its
  // health is its source's (up, waiting or failing, with the cause and since when).
  let ended: { ok: boolean; detail: string } | undefined;
  let lastRunSeconds: number | undefined;
  let lines = 0;

  return {
    description: describeMonitor(config),
    health(): MonitorHealth {
      const src = source.health();
      if (ended) return { ...ended, source: src };
      return { ok: true, detail: src.detail, source: src, ...(lastRunSeconds === undefined ? {} : { lastRunOk: true, lastRunSeconds }) };
    },
    async run(sink: StatusSink, signal: AbortSignal): Promise<void> {
      const initialConditions = options.initialConditions ?? deps.initialConditions;
      const engine = createRuleEngine(config, { now: () => clock.now(), ...(initialConditions ? { initialConditions } : {}) });
      const report = (r: RuleEngineResult): void => {
        if (r.events.length === 0 && !r.changed) return;
        const status: Status = { source: config.source, events: r.events, conditions: r.conditions };
        sink(status);
      };
      sink({ source: config.source, events: [], conditions: engine.conditions() });
      ended = undefined;

      // Expiry: sleep until the next one falls due; a push that moves it wakes the sleeper.
      const stop = new AbortController();
      const running = AbortSignal.any([signal, stop.signal]);
      let wake = new AbortController();
      let plannedExpiry = engine.nextExpiryMs();
      const expiryLoop = async (): Promise<void> => {
        while (!running.aborted) {
          const next = plannedExpiry;
          const sleeper = AbortSignal.any([running, wake.signal]);
          try {
            await clock.sleep(next === undefined ? 3_600_000 : Math.max(0, next - clock.now()), sleeper);
          } catch {
            // Woken (a push moved the expiry) or stopped (the loop's test ends it).
            wake = new AbortController();
            continue;
          }
          report(engine.expire());
          plannedExpiry = engine.nextExpiryMs();
        }
      };
      // Conditions can return to False on their own: `expireAfter`, or a count falling below its threshold.
      const hasExpiry = config.conditions.some((c) => c.expireAfterMs !== undefined) || config.rules.some((r) => r.type === 'permanent' && r.count !== undefined);
      const expiring = hasExpiry ? expiryLoop() : Promise.resolve();

      try {
        const handle = (line: LogLine): void => {
          const timed = (lines++ & (TIMING_SAMPLE - 1)) === 0;
          const t0 = timed ? performance.now() : 0;
          const r = engine.push(line);
          if (timed) {
            const seconds = (performance.now() - t0) / 1000;
            telemetry.ruleEvaluation(config.source, seconds);
            lastRunSeconds = seconds;
          }
          if (r.skipped) {
            telemetry.linesSkipped(config.source, 'skiplist');
            return;
          }
          report(deps.annotate ? { ...r, events: deps.annotate(line.message, r.events) } : r);
          if (hasExpiry && engine.nextExpiryMs() !== plannedExpiry) {
            plannedExpiry = engine.nextExpiryMs();
            wake.abort();
          }
        };
        // A source that reads many lines at once hands them over in one await, and only the lines
        // that contain a literal of the rules (or of the annotation step) when every rule has one.
        if (source.batches) {
          const needs = unionNeeds(deps.annotate ? [engine, { literals: deps.annotate.literals }] : [engine]);
          for await (const batch of source.batches(signal, needs)) for (const line of batch) handle(line);
        } else {
          for await (const line of source.lines(signal)) handle(line);
        }
        if (!signal.aborted) {
          ended = { ok: false, detail: `log source ended: ${source.health().detail}` };
          logger.warn('log source ended', { monitor: config.source });
        }
      } catch (err) {
        if (!signal.aborted) {
          ended = { ok: false, detail: `log source failed: ${errorMessage(err)}` };
          logger.error('log source failed', { monitor: config.source, error: errorMessage(err) });
        }
      } finally {
        if (signal.aborted) ended = { ok: true, detail: 'stopped' };
        stop.abort();
        await expiring;
      }
    },
  };
}
