/** The structured logger: levels, bindings, the record's fields, and where records go. */
import { createLogger, createMemoryLogger, silentLogger, type LogRecord } from '../../src/core/logger.js';

const T = Date.parse('2026-01-01T00:00:00Z');

test.each([
  ['debug', ['debug', 'info', 'warn', 'error']],
  ['info', ['info', 'warn', 'error']],
  ['warn', ['warn', 'error']],
  ['error', ['error']],
] as const)('at level %s, records of %j are written', (level, written) => {
  const records: LogRecord[] = [];
  const logger = createLogger({ level, write: (r) => records.push(r), now: () => T });
  for (const l of ['debug', 'info', 'warn', 'error'] as const) logger[l](`a ${l} line`);
  expect(records.map((r) => r.level)).toEqual(written);
});

test('the default level is info', () => {
  const records: LogRecord[] = [];
  const logger = createLogger({ write: (r) => records.push(r) });
  logger.debug('hidden');
  logger.info('shown');
  expect(records.map((r) => r.msg)).toEqual(['shown']);
});

test('a record: the time from the clock, the level, the message, the bindings, then the fields (which win)', () => {
  const records: LogRecord[] = [];
  const logger = createLogger({ write: (r) => records.push(r), now: () => T }, { monitor: 'kernel-monitor', rule: 'bound' });
  logger.warn('check result unknown', { rule: 'fd:X', cause: 'NoData' });
  expect(records).toEqual([{ time: '2026-01-01T00:00:00.000Z', level: 'warn', msg: 'check result unknown', monitor: 'kernel-monitor', rule: 'fd:X', cause: 'NoData' }]);
  expect(Object.keys(records[0] as LogRecord)).toEqual(['time', 'level', 'msg', 'monitor', 'rule', 'cause']);
});

test('a child adds its bindings to its parent\'s, keeps its level, and leaves the parent as it was', () => {
  const records: LogRecord[] = [];
  const parent = createLogger({ level: 'warn', write: (r) => records.push(r), now: () => T }, { a: 1 });
  const child = parent.child({ b: 2 }).child({ a: 3 });
  child.info('below the level');
  child.error('from the child');
  parent.error('from the parent');
  expect(records.map(({ msg, a, b }) => ({ msg, a, b }))).toEqual([
    { msg: 'from the child', a: 3, b: 2 },
    { msg: 'from the parent', a: 1, b: undefined },
  ]);
});

test('by default one JSON line goes to stderr', () => {
  const written: string[] = [];
  const original = process.stderr.write;
  process.stderr.write = ((chunk: string) => (written.push(chunk), true)) as typeof process.stderr.write;
  try {
    createLogger({ now: () => T }).error('disk full', { path: '/var/log' });
  } finally {
    process.stderr.write = original;
  }
  expect(written).toEqual([`${JSON.stringify({ time: '2026-01-01T00:00:00.000Z', level: 'error', msg: 'disk full', path: '/var/log' })}\n`]);
});

test('the memory logger keeps every level by default, or from the level given', () => {
  const all = createMemoryLogger();
  all.debug('d');
  all.child({ x: 1 }).info('i');
  expect(all.records.map((r) => [r.level, r.msg, r['x']])).toEqual([['debug', 'd', undefined], ['info', 'i', 1]]);
  const some = createMemoryLogger('warn');
  some.info('i');
  some.warn('w');
  expect(some.records.map((r) => r.msg)).toEqual(['w']);
});

test('the silent logger writes nothing, not even to stderr', () => {
  const original = process.stderr.write;
  let calls = 0;
  process.stderr.write = (() => (calls++, true)) as typeof process.stderr.write;
  try {
    silentLogger.error('x');
    silentLogger.child({ a: 1 }).warn('y');
  } finally {
    process.stderr.write = original;
  }
  expect(calls).toBe(0);
});
