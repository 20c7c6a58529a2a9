/** The probe monitor's semaphore on its own: its size, the order it serves waiters in, and aborts. */
import { getEventListeners } from 'node:events';
import { createSemaphore } from '../../src/monitors/probe-semaphore.js';

/** Acquires with `signal` and records, by name, when the slot is granted or the wait rejected. */
function waiter(s: ReturnType<typeof createSemaphore>, name: string, log: string[], signal?: AbortSignal): Promise<void> {
  return s.acquire(signal).then(
    () => void log.push(`${name} granted`),
    (err: unknown) => void log.push(`${name} rejected: ${String(err)}`),
  );
}
const settle = (): Promise<void> => new Promise((r) => setImmediate(r));

test.each([
  [3, 3],
  [2.7, 2],
  [0, 1],
  [-4, 1],
])('size %d gives %d slots at once', async (size, slots) => {
  const s = createSemaphore(size);
  const log: string[] = [];
  for (let i = 0; i < 4; i++) void waiter(s, `w${i}`, log);
  await settle();
  expect(log).toHaveLength(slots);
  expect(s.active).toBe(slots);
});

test('waiters are served in arrival order, one per release', async () => {
  const s = createSemaphore(1);
  const log: string[] = [];
  for (const name of ['a', 'b', 'c']) void waiter(s, name, log);
  await settle();
  expect(log).toEqual(['a granted']);
  s.release();
  await settle();
  expect(log).toEqual(['a granted', 'b granted']);
  expect(s.active).toBe(1);
  s.release();
  await settle();
  expect(log).toEqual(['a granted', 'b granted', 'c granted']);
  s.release();
  expect(s.active).toBe(0);
});

test('an aborted waiter leaves the queue with the signal\'s reason; the next one gets the slot', async () => {
  const s = createSemaphore(1);
  const log: string[] = [];
  const ac = new AbortController();
  void waiter(s, 'a', log);
  void waiter(s, 'b', log, ac.signal);
  void waiter(s, 'c', log);
  await settle();
  ac.abort('stop b');
  await settle();
  expect(log).toEqual(['a granted', 'b rejected: stop b']);
  s.release();
  await settle();
  expect(log).toEqual(['a granted', 'b rejected: stop b', 'c granted']);
  expect(s.active).toBe(1);
});

test('a signal aborted before the call rejects at once and takes no slot', async () => {
  const s = createSemaphore(2);
  const log: string[] = [];
  await waiter(s, 'a', log, AbortSignal.abort('already'));
  expect(log).toEqual(['a rejected: already']);
  expect(s.active).toBe(0);
});

test('a release with nothing held does not make a slot out of nothing', async () => {
  const s = createSemaphore(1);
  s.release();
  expect(s.active).toBe(0);
  const log: string[] = [];
  void waiter(s, 'a', log);
  void waiter(s, 'b', log);
  await settle();
  expect(log).toEqual(['a granted']);
});

test('a waiter leaves no listener on its signal, granted or aborted (the probe monitor passes one signal to every run)', async () => {
  const s = createSemaphore(1);
  const log: string[] = [];
  const granted = new AbortController();
  const aborted = new AbortController();
  void waiter(s, 'a', log);
  void waiter(s, 'b', log, granted.signal);
  void waiter(s, 'c', log, aborted.signal);
  await settle();
  expect(getEventListeners(granted.signal, 'abort')).toHaveLength(1);
  s.release();
  aborted.abort('stop c');
  await settle();
  expect(log).toEqual(['a granted', 'b granted', 'c rejected: stop c']);
  expect(getEventListeners(granted.signal, 'abort')).toHaveLength(0);
  expect(getEventListeners(aborted.signal, 'abort')).toHaveLength(0);
});
