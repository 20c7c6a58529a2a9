/** A condition store on a manual clock whose sink records each sync and fails on demand. */
import { createManualClock, type ManualClock } from '../../../src/core/clock.js';
import { createConditionStore, type ConditionStore, type ConditionStoreOptions, type ConditionSync } from '../../../src/exporters/kubernetes/condition-store.js';
import type { Condition } from '../../../src/core/problem.js';

export const t0 = new Date('2026-01-01T00:00:00Z');
export const cond = (type: string, status: Condition['status'] = 'False', reason = `No${type}`, transition = t0, message = `${type} ${status}`): Condition => ({
  type, status, transition, reason, message,
});

export interface Rig {
  clock: ManualClock;
  store: ConditionStore;
  syncs: ConditionSync[];
  failNext: (n: number) => void;
  stop: () => Promise<void>;
}

export const HB = 300_000;

/** The store with `overrides` (the rig's settings: heartbeat {@link HB}, coalescing 15 ms, retries 1 s to 30 s). */
export function rig(random = () => 0.5, overrides: Partial<ConditionStoreOptions> = {}): Rig {
  const clock = createManualClock();
  const syncs: ConditionSync[] = [];
  let failures = 0;
  const store = createConditionStore({
    clock,
    random,
    heartbeatMs: HB,
    coalesceMs: 15,
    retryBaseMs: 1000,
    retryMaxMs: 30_000,
    sink: async (sync) => {
      syncs.push(sync);
      if (failures > 0) {
        failures--;
        throw new Error('apiserver down');
      }
    },
    ...overrides,
  });
  const ac = new AbortController();
  const running = store.run(ac.signal);
  return {
    clock,
    store,
    syncs,
    failNext: (n) => (failures = n),
    stop: async () => {
      ac.abort();
      await clock.advance(0);
      await running;
    },
  };
}
