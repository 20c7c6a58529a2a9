/**
 * The state every log source reports (README "Health and liveness"): `up` (reading), `waiting`
 * (its input does not exist on this node, or it has not started yet: not an error) or `failing`
 * (the input exists but cannot be read), with the cause and since when. A source logs once per
 * change of state, not once per retry, and tells telemetry (`npd_source_up`).
 */
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { SourceState, Telemetry } from '../core/telemetry.js';

export type { SourceState };

/** A source's health, for `/healthz`, `npd_source_up` and logs. */
export interface SourceHealth {
  readonly state: SourceState;
  /** `state === 'up'`. */
  readonly alive: boolean;
  /** What it reads, or why it does not: `reading /dev/kmsg`, `/dev/kmsg: EACCES: permission denied …; reopening in 800ms`. */
  readonly detail: string;
  /** When the source entered `state` (ms since the epoch); a retry in the same state keeps it. */
  readonly sinceMs: number;
  /** Restarts after errors since start (`npd_source_restarts_total`). */
  readonly restarts: number;
}

/** Moves a source between states; `health()` is what the source reports. */
export interface SourceStateTracker {
  health(): SourceHealth;
  up(detail: string): void;
  waiting(detail: string): void;
  /** A failure; `restarted` counts a restart (`npd_source_restarts_total`). */
  failing(detail: string, restarted?: boolean): void;
}

/** Retry delays while `waiting` (input absent): from 1 s up to 5 minutes, so an absent input costs nothing. */
export const WAITING_RETRY = { baseMs: 1000, maxMs: 300_000 } as const;

/**
 * Creates a tracker starting in `waiting` ("starting"). `input` names the input in log records.
 * @example const state = createSourceState('kernel-monitor', '/dev/kmsg', deps); state.up('reading /dev/kmsg');
 */
export function createSourceState(
  source: string,
  input: string,
  deps: { readonly clock: Clock; readonly logger: Logger; readonly telemetry: Telemetry },
): SourceStateTracker {
  let health: SourceHealth = { state: 'waiting', alive: false, detail: `starting ${input}`, sinceMs: deps.clock.now(), restarts: 0 };
  deps.telemetry.sourceState(source, 'waiting');
  let started = false;
  const move = (state: SourceState, detail: string, restarted: boolean): void => {
    // The first report after "starting" is logged even when it is `waiting` too.
    const changed = state !== health.state || !started;
    started = true;
    health = {
      state,
      alive: state === 'up',
      detail,
      sinceMs: changed ? deps.clock.now() : health.sinceMs,
      restarts: health.restarts + (restarted ? 1 : 0),
    };
    if (restarted) deps.telemetry.sourceRestart(source);
    if (!changed) {
      deps.logger.debug('source retrying', { source, input, state, detail });
      return;
    }
    deps.telemetry.sourceState(source, state);
    if (state === 'up') deps.logger.info('source up', { source, input, detail });
    else if (state === 'waiting') deps.logger.info('source waiting: its input does not exist on this node', { source, input, detail });
    else deps.logger.warn('source failing', { source, input, detail });
  };
  return {
    health: () => health,
    up: (detail) => move('up', detail, false),
    waiting: (detail) => move('waiting', detail, false),
    failing: (detail, restarted = true) => move('failing', detail, restarted),
  };
}
