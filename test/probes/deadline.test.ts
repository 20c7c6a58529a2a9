/** The network probes' deadline on its own, on a manual clock: its time, its parent, and done(). */
import { createManualClock } from '../../src/core/clock.js';
import { DeadlineError } from '../../src/core/errors.js';
import { createDeadline, withTimeout } from '../../src/probes/deadline.js';
import { createTestContext } from './probe-context.js';

test('aborts with a DeadlineError when its time has passed on the clock, not before', async () => {
  const clock = createManualClock();
  const d = createDeadline(clock, 1000);
  await clock.advance(999);
  expect(d.signal.aborted).toBe(false);
  await clock.advance(1);
  expect(d.signal.reason).toBeInstanceOf(DeadlineError);
  expect((d.signal.reason as DeadlineError).ms).toBe(1000);
});

test('aborts with the parent\'s reason, whether the parent aborted before or after', async () => {
  const clock = createManualClock();
  const before = new AbortController();
  before.abort('stopped');
  expect(createDeadline(clock, 1000, before.signal).signal.reason).toBe('stopped');
  const after = new AbortController();
  const d = createDeadline(clock, 1000, after.signal);
  expect(d.signal.aborted).toBe(false);
  after.abort('reload');
  expect(d.signal.reason).toBe('reload');
});

test('done() ends the deadline and lets go of the parent', async () => {
  const clock = createManualClock();
  const parent = new AbortController();
  const d = createDeadline(clock, 1000, parent.signal);
  d.done();
  await clock.advance(5000);
  parent.abort('late');
  expect(d.signal.aborted).toBe(false);
});

test('withTimeout runs the check under the deadline and ends it after', async () => {
  const clock = createManualClock();
  const ctx = createTestContext({ clock });
  let seen: AbortSignal | undefined;
  const check = withTimeout(ctx, 1000, async (signal) => {
    seen = signal;
    return { status: 'ok', message: 'fine' };
  });
  expect(await check(new AbortController().signal)).toEqual({ status: 'ok', message: 'fine' });
  await clock.advance(2000);
  expect(seen?.aborted).toBe(false); // ended when the check returned
  const slow = withTimeout(ctx, 1000, (signal) => new Promise((resolve) => signal.addEventListener('abort', () => resolve({ status: 'unknown', message: String(signal.reason) }))));
  const pending = slow(new AbortController().signal);
  await clock.advance(1000);
  expect(await pending).toEqual({ status: 'unknown', message: 'DeadlineError: timed out after 1000ms' });
});
