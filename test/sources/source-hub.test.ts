/**
 * The source hub over a scripted reader: one reader per input, start points per monitor, the
 * reader's needs, holds across a reload, leftovers for the next monitor of a key, backpressure,
 * the end or failure of a reader, and its telemetry going to every monitor reading it.
 */
import { inputKey } from '../../src/sources/source-hub.js';
import type { LogLine, LogSource } from '../../src/sources/log-source.js';
import { config, consume, line, NOW, settle, setup } from './source-hub-fixture.js';

test('inputKey: plugin, path and settings, whatever the order of the settings', () => {
  const a = inputKey(config('a', { plugin: 'journald', pluginConfig: { source: 'kubelet', x: '1' } }));
  expect(inputKey(config('b', { plugin: 'journald', pluginConfig: { x: '1', source: 'kubelet' } }))).toBe(a);
  expect(inputKey(config('b', { plugin: 'journald', pluginConfig: { x: '1', source: 'docker' } }))).not.toBe(a);
  expect(inputKey(config('b', { plugin: 'journald', logPath: '/x', pluginConfig: { x: '1', source: 'kubelet' } }))).not.toBe(a);
  expect(inputKey(config('b', { plugin: 'filelog', pluginConfig: { x: '1', source: 'kubelet' } }))).not.toBe(a);
});

test('two monitors of one input: one reader from the earliest start point, each drops what is older than its own', async () => {
  const { calls, reader, hub } = setup();
  const ac = new AbortController();
  const a = consume(hub.source(config('a', { lookbackMs: 60_000, delayMs: 5000 }), 'a.json'), ac.signal);
  const b = consume(hub.source(config('b', { lookbackMs: 10_000, delayMs: 1000 }), 'b.json'), ac.signal);
  await settle();
  expect(hub.inputs()).toBe(1);
  expect(reader.built).toHaveLength(2);
  expect(reader.readers.map((r) => r.config)).toEqual([expect.objectContaining({ source: 'a', lookbackMs: 60_000, delayMs: 1000 })]);
  reader.push([line(30_000, 'half a minute ago'), line(0, 'now')]);
  await settle();
  expect(a.got).toEqual(['half a minute ago', 'now']);
  expect(b.got).toEqual(['now']);
  expect(calls).toEqual(['a read 2', 'b old 1', 'b read 1']);
  ac.abort();
  await Promise.all([a.done, b.done]);
  await hub.close();
  expect(reader.aborted()).toBe(true);
});

test('a bad configuration throws at source(), not when read', () => {
  const { hub } = setup();
  expect(() => hub.source(config('a', { pluginConfig: { bad: 'x' } }), 'a.json')).toThrow('bad setting x');
});

test('health: "starting" before the reader runs, then the reader\'s, reported to a monitor that joins later', async () => {
  const { calls, hub } = setup();
  const s = hub.source(config('a', { logPath: '' }), 'a.json');
  expect(s.health()).toEqual({ state: 'waiting', alive: false, detail: 'starting kmsg', sinceMs: NOW, restarts: 0 });
  const ac = new AbortController();
  const a = consume(s, ac.signal);
  await settle();
  expect(s.health().state).toBe('up');
  const b = consume(hub.source(config('b', { logPath: '' }), 'b.json'), ac.signal);
  expect(calls).toEqual(['b up']);
  ac.abort();
  await Promise.all([a.done, b.done]);
  await hub.close();
});

test('a monitor joining a running reader gets its lines from then on, older ones too; the reader is not rebuilt', async () => {
  const { calls, reader, hub } = setup();
  const ac = new AbortController();
  const a = consume(hub.source(config('a'), 'a.json'), ac.signal);
  await settle();
  const b = consume(hub.source(config('b', { lookbackMs: 1 }), 'b.json'), ac.signal);
  await settle();
  reader.push([line(30_000, 'older than b\'s lookback')]);
  await settle();
  expect(b.got).toEqual(['older than b\'s lookback']);
  expect(reader.readers).toHaveLength(1);
  expect(calls.filter((c) => c.includes('old'))).toEqual([]);
  ac.abort();
  await Promise.all([a.done, b.done]);
  await hub.close();
});

test('the reader is asked for the literals of all its monitors; lines it left out are counted per monitor, read or old', async () => {
  const { calls, reader, hub } = setup();
  const ac = new AbortController();
  const a = consume(hub.source(config('a'), 'a.json'), ac.signal, { literals: ['foo'] });
  const b = consume(hub.source(config('b', { lookbackMs: 10_000 }), 'b.json'), ac.signal, { literals: ['bar\nbaz'] });
  await settle();
  expect(reader.interest()?.literals).toEqual(['foo', 'bar', 'baz']);
  reader.interest()?.omitted?.(NOW - 30_000, 3);
  reader.interest()?.omitted?.(NOW, 2);
  reader.push([line(0, 'foo')]);
  await settle();
  expect(a.got).toEqual(['foo']);
  expect(calls).toEqual(['a read 6', 'b old 3', 'b read 3']);
  ac.abort();
  await Promise.all([a.done, b.done]);
  await hub.close();
});

test('a hold delays delivery and the start of new readers until its release; a second release does nothing', async () => {
  const { reader, hub } = setup();
  const release = hub.hold();
  const ac = new AbortController();
  const a = consume(hub.source(config('a'), 'a.json'), ac.signal);
  await settle();
  expect(hub.inputs()).toBe(0);
  const inner = hub.hold();
  release();
  release();
  await settle();
  expect(hub.inputs()).toBe(0);
  inner();
  await settle();
  expect(hub.inputs()).toBe(1);
  const again = hub.hold();
  reader.push([line(0, 'held')]);
  await settle();
  expect(a.got).toEqual([]);
  again();
  await settle();
  expect(a.got).toEqual(['held']);
  ac.abort();
  await a.done;
  await hub.close();
});

test('the lines queued for a monitor that stopped go to the next monitor of its key; a sweep drops them and stops idle readers', async () => {
  const { reader, hub } = setup();
  const first = new AbortController();
  const s = hub.source(config('a'), 'a.json');
  const it = (s.batches as NonNullable<LogSource['batches']>)(first.signal)[Symbol.asyncIterator]();
  const next = it.next();
  await settle();
  reader.push([line(0, 'one')], [line(0, 'two')]);
  expect((await next).value?.map((l: LogLine) => l.message)).toEqual(['one']);
  await settle();
  first.abort();
  await it.next();
  const second = new AbortController();
  const b = consume(hub.source(config('a'), 'a.json'), second.signal);
  await settle();
  expect(b.got).toEqual(['two']);
  second.abort();
  await b.done;
  await hub.sweep();
  expect(hub.inputs()).toBe(0);
  expect(reader.aborted()).toBe(true);
});

test('backpressure: the reader waits while a monitor has more than 4 batches queued, and goes on when it takes them', async () => {
  const { reader, hub } = setup();
  const ac = new AbortController();
  const it = (hub.source(config('a'), 'a.json').batches as NonNullable<LogSource['batches']>)(ac.signal)[Symbol.asyncIterator]();
  const first = it.next();
  await settle();
  reader.push(...Array.from({ length: 10 }, (_, i) => [line(0, `b${i}`)]));
  await first;
  await settle();
  expect(reader.pulled()).toBe(6);
  for (let i = 0; i < 5; i++) await it.next();
  await settle();
  expect(reader.pulled()).toBe(10);
  ac.abort();
  await it.next();
  await hub.close();
});

test('a reader that ends ends its monitors; one that fails fails them with its error; a new monitor then gets a new reader', async () => {
  const { reader, hub } = setup();
  const ac = new AbortController();
  const a = consume(hub.source(config('a'), 'a.json'), ac.signal);
  await settle();
  reader.push([line(0, 'last')], 'end');
  await a.done;
  expect(a.got).toEqual(['last']);
  const b = consume(hub.source(config('a'), 'a.json'), ac.signal);
  await settle();
  expect(reader.readers).toHaveLength(2);
  reader.push(new Error('EIO'));
  await expect(b.done).rejects.toThrow('EIO');
  await hub.close();
});

test('the reader\'s telemetry goes to every monitor reading it, once per monitor source', async () => {
  const { calls, reader, hub } = setup();
  const ac = new AbortController();
  const a = consume(hub.source(config('a'), 'a.json'), ac.signal);
  const b = consume(hub.source(config('b'), 'b.json'), ac.signal);
  const b2 = consume(hub.source(config('b'), 'b2.json'), ac.signal);
  await settle();
  const t = reader.readers[0]?.deps.telemetry;
  t?.linesRead('x', 5);
  t?.linesSkipped('x', 'unparsable', 2);
  t?.sourceRestart('x');
  t?.sourceState('x', 'failing');
  t?.kmsgRecordsLost('x', 3);
  t?.fileRotation('x', 'renamed');
  t?.fileSkip('x', 'truncated');
  expect(calls).toEqual([
    'a unparsable 2', 'b unparsable 2', 'a restart', 'b restart', 'a failing', 'b failing', 'a lost 3', 'b lost 3',
    'a rotation renamed', 'b rotation renamed', 'a file-skip truncated', 'b file-skip truncated',
  ]);
  ac.abort();
  await Promise.all([a.done, b.done, b2.done]);
  await hub.close();
});

test('a monitor whose signal is already aborted reads nothing and leaves at once', async () => {
  const { hub } = setup();
  const ac = new AbortController();
  ac.abort();
  const a = consume(hub.source(config('a'), 'a.json'), ac.signal);
  await a.done;
  expect(a.got).toEqual([]);
  await hub.close();
});
