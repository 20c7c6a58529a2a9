/** A Telemetry that counts calls, for asserting what a component reported. */
import { noopTelemetry, type FileRotationStyle, type FileSkipReason, type SkipReason, type Telemetry } from '../../src/core/telemetry.js';

/** Counters kept by {@link createRecordingTelemetry}. */
export interface TelemetryCounts {
  linesRead: number;
  skipped: Record<SkipReason, number>;
  restarts: number;
  kmsgLost: number;
  fileRotations: Record<FileRotationStyle, number>;
  fileSkips: Record<FileSkipReason, number>;
}

/** A Telemetry whose log-source counters are readable in `counts` (other methods do nothing). */
export function createRecordingTelemetry(): Telemetry & { readonly counts: TelemetryCounts } {
  const counts: TelemetryCounts = { linesRead: 0, skipped: { old: 0, skiplist: 0, unparsable: 0, empty: 0 }, restarts: 0, kmsgLost: 0,
    fileRotations: { renamed: 0, truncated: 0 }, fileSkips: { truncated: 0, 'too-many-files': 0, unopened: 0 } };
  return {
    ...noopTelemetry,
    counts,
    linesRead: (_s, n = 1) => void (counts.linesRead += n),
    linesSkipped: (_s, reason, n = 1) => void (counts.skipped[reason] += n),
    sourceRestart: () => void counts.restarts++,
    kmsgRecordsLost: (_s, n) => void (counts.kmsgLost += n),
    fileRotation: (_s, style) => void counts.fileRotations[style]++,
    fileSkip: (_s, reason) => void counts.fileSkips[reason]++,
  };
}
