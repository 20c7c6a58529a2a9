/**
 * The health model end to end in one process: real kmsg sources on temp paths, the agent's health
 * from those sources (not from the monitors' start-up state), `/healthz` over real HTTP, and the
 * `npd_source_up` gauge from the real Prometheus telemetry. Time is a manual clock: the grace
 * period passes by `advance()`, not by waiting.
 */
import { mkdir, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startHealthServer } from '../../src/app/health-server.js';
import { createManualClock, type ManualClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import { advanceUntil, waitFor } from '../helpers/wait.js';
import { kmsgRecord, logMonitor, startAgentFixture, type AgentFixture } from './agent-fixture.js';

let f: AgentFixture | undefined;
afterEach(async () => {
  await f?.stop();
  f = undefined;
});

const kernel = (path: string) => ({ 'kernel-monitor.json': logMonitor('kernel-monitor', 'kmsg', path) });
const stateOf = (fx: AgentFixture, source = 'kernel-monitor') => fx.agent.health().monitors.find((m) => m.source === source);

/** Moves the clock in steps, letting real I/O (open, read) finish between them. */
async function advance(clock: ManualClock, ms: number, step = 1000): Promise<void> {
  for (let done = 0; done < ms; done += step) {
    await clock.advance(Math.min(step, ms - done));
    await new Promise((r) => setTimeout(r, 2));
  }
}

async function getHealthz(fx: AgentFixture): Promise<{ status: number; body: { ok: boolean; detail: string; monitors: { source: string; state?: string; detail: string }[] } }> {
  const server = await startHealthServer({ port: 0, health: () => fx.agent.health(), conditions: () => ({}), logger: silentLogger });
  try {
    const res = await fetch(`${server.url}/healthz`);
    return { status: res.status, body: (await res.json()) as never };
  } finally {
    await server.close();
  }
}

test('kmsg unreadable (a directory): healthy during the grace period, 503 naming the source and cause after it, 200 once it recovers', async () => {
  const clock = createManualClock();
  f = await startAgentFixture({ monitors: kernel('$DIR/kmsg'), clock, before: (dir) => mkdir(join(dir, 'kmsg')) });
  const fx = f;
  await waitFor(() => stateOf(fx)?.state === 'failing', 'the source failing');
  expect(await fx.metric('npd_source_up', { source: 'kernel-monitor' })).toBe(-1);
  expect((await getHealthz(fx)).status).toBe(200);

  await advance(clock, 59_000);
  expect(fx.agent.health().ok).toBe(true);
  await advance(clock, 1_000);
  const failed = await getHealthz(fx);
  expect(failed.status).toBe(503);
  expect(failed.body.ok).toBe(false);
  expect(failed.body.detail).toMatch(/^kernel-monitor: .*kmsg: .*EISDIR.*failing for 1m/);
  expect(failed.body.monitors[0]).toMatchObject({ source: 'kernel-monitor', state: 'failing' });
  // Retries kept the state; logged once when it began, not once per retry.
  expect(fx.logger.records.filter((r) => r.msg === 'source failing')).toHaveLength(1);

  await rmdir(join(fx.dir, 'kmsg'));
  await writeFile(join(fx.dir, 'kmsg'), kmsgRecord(1, clock.now(), fx.bootMs, 'hello'));
  // The next reopen falls due within the backoff's cap. The clock is advanced until the source is up,
  // not by a fixed 60 s: on a loaded machine the retry after the last failure may schedule its timer
  // only after a fixed advance has ended, and a stopped clock would never fire it.
  await advanceUntil(clock, () => stateOf(fx)?.state === 'up', 'the source up again', 1000);
  const healed = await getHealthz(fx);
  expect(healed.status).toBe(200);
  expect(healed.body.detail).toBe('ok');
  expect(await fx.metric('npd_source_up', { source: 'kernel-monitor' })).toBe(1);
  expect(await fx.metric('npd_source_lines_read_total', { source: 'kernel-monitor' })).toBe(1);
});

test('--source-failure-grace-period is honoured: 5 s grace fails after 5 s', async () => {
  const clock = createManualClock();
  f = await startAgentFixture({ monitors: kernel('$DIR/kmsg'), clock, graceMs: 5000, before: (dir) => mkdir(join(dir, 'kmsg')) });
  const fx = f;
  await waitFor(() => stateOf(fx)?.state === 'failing', 'the source failing');
  await advance(clock, 4000);
  expect(fx.agent.health().ok).toBe(true);
  await advance(clock, 1000);
  expect(fx.agent.health()).toMatchObject({ ok: false, detail: expect.stringMatching(/5s grace period/) });
});

test('input absent: waiting, and the agent stays healthy however long it waits; retries back off to minutes', async () => {
  const clock = createManualClock();
  f = await startAgentFixture({ monitors: kernel('$DIR/no-kmsg-here'), clock });
  const fx = f;
  await waitFor(() => /does not exist/.test(stateOf(fx)?.detail ?? ''), 'the source waiting');
  await advance(clock, 30 * 60_000, 10_000);
  const res = await getHealthz(fx);
  expect(res.status).toBe(200);
  expect(res.body.monitors[0]).toMatchObject({ source: 'kernel-monitor', state: 'waiting' });
  expect(await fx.metric('npd_source_up', { source: 'kernel-monitor' })).toBe(0);
  expect(await fx.metric('npd_source_restarts_total', { source: 'kernel-monitor' })).toBeUndefined();
  expect(fx.logger.records.filter((r) => String(r.msg).startsWith('source waiting'))).toHaveLength(1);
  // 1 s doubling to the 5-minute cap: after 30 minutes the next look is minutes away.
  expect(stateOf(fx)?.detail).toMatch(/looking again in (\d{6})ms/);

  // The input appears: read at the next look.
  await writeFile(join(fx.dir, 'no-kmsg-here'), kmsgRecord(1, clock.now(), fx.bootMs, 'hello'));
  await advance(clock, 300_000, 10_000);
  await waitFor(() => stateOf(fx)?.state === 'up', 'the source up');
});

test('/healthz carries the event-loop lag', async () => {
  f = await startAgentFixture({ monitors: kernel('$DIR/no-kmsg-here'), clock: createManualClock() });
  const body = (await getHealthz(f)).body as unknown as { eventLoop: { lastSeconds: number; maxSeconds: number } };
  expect(body.eventLoop).toEqual({ lastSeconds: 0, maxSeconds: 0 });
});
