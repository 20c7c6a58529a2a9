/** A ProbeContext for tests: fixture roots, a manual clock, a memory logger and recording telemetry. */
import { createManualClock, type Clock } from '../../src/core/clock.js';
import { createMemoryLogger } from '../../src/core/logger.js';
import type { ProbeContext } from '../../src/probes/probe.js';
import { noopTelemetry, type Telemetry } from '../../src/core/telemetry.js';
import { ConfigError } from '../../src/core/errors.js';
import { probeRegistry } from '../../src/probes/registry.js';

import { procFixture } from '../helpers/fixtures.js';

export { pluginFixture, procFixture } from '../helpers/fixtures.js';

/** Calls recorded by {@link createTestContext}'s telemetry. */
export interface Recorded {
  readonly watermarks: { resource: string; target: string; ratio: number }[];
  readonly runs: { monitor: string; rule: string; ok: boolean; seconds: number }[];
}

/** A test context; override any part. */
export function createTestContext(over: Partial<ProbeContext> & { clock?: Clock } = {}): ProbeContext & { recorded: Recorded; logger: ReturnType<typeof createMemoryLogger> } {
  const recorded: Recorded = { watermarks: [], runs: [] };
  const telemetry: Telemetry = {
    ...noopTelemetry,
    watermark: (resource, target, ratio) => void recorded.watermarks.push({ resource, target, ratio }),
    probeRun: (monitor, rule, ok, seconds) => void recorded.runs.push({ monitor, rule, ok, seconds }),
  };
  const logger = createMemoryLogger();
  return {
    procRoot: procFixture('fd-ok'),
    clock: createManualClock(),
    telemetry,
    fetch: () => Promise.reject(new Error('no network in tests')),
    ...over,
    logger,
    recorded,
  };
}

/** The ConfigError problem of creating probe `name` with `options` (fails the test when it is accepted). */
export function configProblem(name: keyof typeof probeRegistry, options: Record<string, unknown>): string {
  try {
    probeRegistry[name](options, createTestContext(), { file: 'm.json', field: 'rules[0].options' });
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problem;
  }
  throw new Error(`${name} accepted ${JSON.stringify(options)}`);
}
