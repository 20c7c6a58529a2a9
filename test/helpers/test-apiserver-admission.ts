/**
 * The test apiserver's admission model, after kube-apiserver's API Priority and Fairness in small:
 * at most `maxInflight` mutating requests (POST, PATCH…) are served at once, one more is answered
 * 429 with `Retry-After: 1` at once; every admitted request takes `serviceMs` on the clock. Reads
 * are not capped (they have their own, larger budget on a real apiserver) but take the service time.
 * It counts what a control-plane team would watch: rejections and the in-flight peak.
 */
import type { Clock } from '../../src/core/clock.js';

/** Options of {@link createAdmission} (the flags of bench/fleet.ts). */
export interface AdmissionOptions {
  /** Mutating requests served at once (kube-apiserver's --max-mutating-requests-inflight is 200, APF's seats more). @default 400 */
  readonly maxInflight?: number;
  /** Time to serve one request. @default 5 */
  readonly serviceMs?: number;
  readonly clock: Clock;
}

/** The admission state of one apiserver. */
export interface Admission {
  /** Takes a seat; false when the request is to be answered 429. */
  enter(mutating: boolean): boolean;
  /** Waits the service time. */
  serve(): Promise<void>;
  /** Gives the seat back. */
  leave(mutating: boolean): void;
  readonly stats: { inflight: number; peakInflight: number; rejected: number; admitted: number };
}

/** Creates the admission model. */
export function createAdmission(options: AdmissionOptions): Admission {
  const max = options.maxInflight ?? 400;
  const serviceMs = options.serviceMs ?? 5;
  const stats = { inflight: 0, peakInflight: 0, rejected: 0, admitted: 0 };
  return {
    stats,
    enter(mutating) {
      if (!mutating) return true;
      if (stats.inflight >= max) {
        stats.rejected++;
        return false;
      }
      stats.inflight++;
      stats.admitted++;
      stats.peakInflight = Math.max(stats.peakInflight, stats.inflight);
      return true;
    },
    serve: () => (serviceMs > 0 ? options.clock.sleep(serviceMs) : Promise.resolve()),
    leave(mutating) {
      if (mutating) stats.inflight--;
    },
  };
}
