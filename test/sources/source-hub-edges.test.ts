/**
 * The source hub's edges: the key of an input, readers without batches, needs that a batch did not
 * cover, lines at a monitor's start point, monitors that leave (early, at once, or by a sweep).
 */
import type { LogLine, LogSource } from '../../src/sources/log-source.js';
import { createSourceHub, inputKey } from '../../src/sources/source-hub.js';
import { config, consume, line, NOW, settle, setup } from './source-hub-fixture.js';

const batchesOf = (s: LogSource) => s.batches as NonNullable<LogSource['batches']>;

test('inputKey: the same for the settings in any order', () => {
  const orders = [{ a: '1', b: '2', c: '3', d: '4' }, { d: '4', c: '3', b: '2', a: '1' }, { c: '3', a: '1', d: '4', b: '2' }, { b: '2', d: '4', a: '1', c: '3' }];
  const keys = new Set(orders.map((pluginConfig) => inputKey(config('x', { pluginConfig }))));
  expect(keys.size).toBe(1);
});

test('a reader without batches: its lines come one a batch; lines() of the hub\'s source yields them', async () => {
  const { deps } = setup();
  const hub = createSourceHub(deps, () => ({
    async *lines() {
      yield line(0, 'one');
      yield line(0, 'two');
    },
    health: () => ({ state: 'up', alive: true, detail: '', sinceMs: NOW, restarts: 0 }),
  }));
  const got: string[] = [];
  for await (const l of hub.source(config('a'), 'a.json').lines(new AbortController().signal)) got.push(l.message);
  expect(got).toEqual(['one', 'two']);
  await hub.close();
});

test('a monitor whose literals the batch being read did not cover starts with the next batch', async () => {
  const { reader, hub } = setup();
  const ac = new AbortController();
  const a = consume(hub.source(config('a'), 'a.json'), ac.signal, { literals: ['foo'] });
  await settle();
  const b = consume(hub.source(config('b'), 'b.json'), ac.signal, { literals: ['bar'] });
  await settle();
  reader.push([line(0, 'foo 1')]);
  await settle();
  reader.push([line(0, 'bar 2')]);
  await settle();
  expect(a.got).toEqual(['foo 1', 'bar 2']);
  expect(b.got).toEqual(['bar 2']);
  ac.abort();
  await Promise.all([a.done, b.done]);
  await hub.close();
});

test('the reader is told the most context any monitor asks for, and their tests', async () => {
  const { reader, hub } = setup();
  const ac = new AbortController();
  const t = (m: string): boolean => m.startsWith('x');
  const a = consume(hub.source(config('a'), 'a.json'), ac.signal, { literals: ['foo'], context: 2, contextTests: [t] });
  const b = consume(hub.source(config('b'), 'b.json'), ac.signal, { literals: ['bar'], context: 1, contextTests: [t] });
  await settle();
  expect([reader.interest()?.context, reader.interest()?.contextTests]).toEqual([2, [t]]);
  ac.abort();
  await Promise.all([a.done, b.done]);
  await hub.close();
});

test('a line or a left-out run exactly at a monitor\'s start point is read; a batch all old gives it no batch and no read count', async () => {
  const { calls, reader, hub } = setup();
  const ac = new AbortController();
  const it = batchesOf(hub.source(config('a', { lookbackMs: 10_000 }), 'a.json'))(ac.signal)[Symbol.asyncIterator]();
  const first = it.next();
  await settle();
  reader.interest()?.omitted?.(NOW - 10_000, 2);
  reader.push([line(10_001, 'old'), line(10_000, 'at the start')]);
  expect((await first).value?.map((l: LogLine) => l.message)).toEqual(['at the start']);
  reader.push([line(10_001, 'old')], [line(0, 'new')]);
  expect((await it.next()).value?.map((l: LogLine) => l.message)).toEqual(['new']);
  expect(calls).toEqual(['a old 1', 'a read 3', 'a old 1', 'a read 1']);
  ac.abort();
  await it.next();
  await hub.close();
});

test('a slow monitor holds the reader back though another keeps up', async () => {
  const { reader, hub } = setup();
  const slow = new AbortController();
  const it = batchesOf(hub.source(config('a'), 'a.json'))(slow.signal)[Symbol.asyncIterator]();
  const first = it.next();
  const fast = new AbortController();
  const b = consume(hub.source(config('b'), 'b.json'), fast.signal);
  await settle();
  reader.push(...Array.from({ length: 10 }, (_, i) => [line(0, `b${i}`)]));
  await first;
  await settle();
  expect(reader.pulled()).toBe(6);
  slow.abort();
  await it.next();
  await settle();
  expect(b.got).toHaveLength(10);
  fast.abort();
  await b.done;
  await hub.close();
});

test('a monitor that leaves narrows what the reader is asked for', async () => {
  const { reader, hub } = setup();
  const ac = new AbortController();
  const a = consume(hub.source(config('a'), 'a.json'), ac.signal, { literals: ['foo'] });
  const bc = new AbortController();
  const b = consume(hub.source(config('b'), 'b.json'), bc.signal, { literals: ['bar'] });
  await settle();
  expect(reader.interest()?.literals).toEqual(['foo', 'bar']);
  bc.abort();
  await b.done;
  expect(reader.interest()?.literals).toEqual(['foo']);
  ac.abort();
  await a.done;
  await hub.close();
});

test('a monitor that breaks off reading leaves: the reader is not held back by its queue', async () => {
  const { reader, hub } = setup();
  const ac = new AbortController();
  const b = consume(hub.source(config('b'), 'b.json'), ac.signal);
  const a = (async () => {
    for await (const _ of batchesOf(hub.source(config('a'), 'a.json'))(ac.signal)) break;
  })();
  await settle();
  reader.push(...Array.from({ length: 10 }, (_, i) => [line(0, `b${i}`)]));
  await a;
  await settle();
  expect(b.got).toHaveLength(10);
  ac.abort();
  await b.done;
  await hub.close();
});

test('batches() on an aborted signal leaves at once: no reader starts, even if never read', async () => {
  const { hub } = setup();
  const ac = new AbortController();
  ac.abort();
  batchesOf(hub.source(config('a'), 'a.json'))(ac.signal);
  await settle();
  expect(hub.inputs()).toBe(0);
  await hub.close();
});

test('a sweep stops only the idle inputs, and stopping one keeps the others', async () => {
  const { reader, hub } = setup();
  const keep = new AbortController();
  const a = consume(hub.source(config('a'), 'a.json'), keep.signal);
  const gone = new AbortController();
  const b = consume(hub.source(config('b', { logPath: '/other' }), 'b.json'), gone.signal);
  await settle();
  expect(hub.inputs()).toBe(2);
  gone.abort();
  await b.done;
  await hub.sweep();
  expect(hub.inputs()).toBe(1);
  expect(reader.readers.map((r) => [r.config.logPath, r.aborted])).toEqual([['/dev/kmsg', false], ['/other', true]]);
  reader.push([line(0, 'still read')]);
  await settle();
  expect(a.got).toEqual(['still read']);
  keep.abort();
  await a.done;
  await hub.close();
});

test('a sweep drops the lines left for the next monitor of a key', async () => {
  const { reader, hub } = setup();
  const keep = new AbortController();
  const a = consume(hub.source(config('a'), 'a.json'), keep.signal);
  const stopped = new AbortController();
  const it = batchesOf(hub.source(config('c'), 'c.json'))(stopped.signal)[Symbol.asyncIterator]();
  const next = it.next();
  await settle();
  reader.push([line(0, 'one')], [line(0, 'two')]);
  await next;
  await settle();
  stopped.abort();
  await it.next();
  await hub.sweep();
  const again = consume(hub.source(config('c'), 'c.json'), keep.signal);
  await settle();
  reader.push([line(0, 'three')]);
  await settle();
  expect(again.got).toEqual(['three']);
  expect(a.got).toEqual(['one', 'two', 'three']);
  keep.abort();
  await Promise.all([a.done, again.done]);
  await hub.close();
});
