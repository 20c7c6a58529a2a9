/**
 * The name of an agent's ownership record: its pod's name when it fits an annotation key, a stable
 * hash of it when it does not, a random one without a pod name.
 */
import { createHash } from 'node:crypto';
import { ownedConditionsAnnotation, ownershipInstance, parseRecords, recordKey, recordValue, viewOwnership } from '../../../src/exporters/kubernetes/ownership.js';

test.each([
  ['a DaemonSet pod name', 'npd-ts-a1b2c', 'npd-ts-a1b2c'],
  ['46 characters, the longest that fits', 'x'.repeat(46), 'x'.repeat(46)],
])('%s is the instance', (_name, pod, instance) => {
  expect(ownershipInstance(pod, () => 0.5)).toBe(instance);
});

test.each([
  ['47 characters', 'x'.repeat(47)],
  ['a character an annotation key cannot hold', 'npd ts/1'],
  ['ending in a dot', 'npd-ts.'],
])('%s: 16 hex digits of its SHA-256, the same each time', (_name, pod) => {
  const a = ownershipInstance(pod, () => 0.1);
  expect(a).toMatch(/^[0-9a-f]{16}$/);
  expect(ownershipInstance(pod, () => 0.9)).toBe(a);
});

test('without a pod name, 8 hex digits from `random`', () => {
  expect(ownershipInstance(undefined, () => 0.5)).toBe('80000000');
  expect(ownershipInstance('', () => 0)).toBe('00000000');
});

test.each([
  ['one character', 'a'],
  ['dots, dashes and underscores inside', 'npd_ts.node-1'],
])('%s is the instance', (_name, pod) => {
  expect(ownershipInstance(pod, () => 0.5)).toBe(pod);
});

test.each([['-npd'], ['npd-'], ['_npd']])('%s (not alphanumeric at an end) is hashed: the first 16 hex digits of its SHA-256', (pod) => {
  expect(ownershipInstance(pod, () => 0.5)).toBe(createHash('sha256').update(pod).digest('hex').slice(0, 16));
});

test('the records on a Node: this format, the earlier single record, a record without a time', () => {
  const node = {
    metadata: {
      annotations: {
        [recordKey('a1')]: 'A, B,,C;2026-01-01T00:10:00Z',
        [recordKey('b2')]: 'D;retired',
        [recordKey('c3')]: 'E',
        [recordKey('d4')]: ';2026-01-01T00:10:00Z',
        [ownedConditionsAnnotation]: 'F;2026-01-01T00:10:00Z',
        [`${ownedConditionsAnnotation}x`]: 'G;2026-01-01T00:10:00Z',
        'other.io/annotation': 'H',
      },
    },
  };
  expect(parseRecords(node)).toEqual([
    { key: recordKey('a1'), types: ['A', 'B', 'C'], at: Date.parse('2026-01-01T00:10:00Z') },
    { key: recordKey('b2'), types: ['D'], at: undefined },
    { key: recordKey('c3'), types: ['E'], at: undefined },
    { key: recordKey('d4'), types: [], at: Date.parse('2026-01-01T00:10:00Z') },
    { key: ownedConditionsAnnotation, types: ['F'], at: undefined },
  ]);
  expect(parseRecords({})).toEqual([]);
  expect(recordValue(['A', 'B'], Date.parse('2026-01-01T00:10:00.900Z'))).toBe('A,B;2026-01-01T00:10:00Z');
  expect(recordValue([], 'retired')).toBe(';retired');
});

test('a record is over after 15 minutes, or three heartbeats when that is longer; live records keep their types', () => {
  const now = Date.parse('2026-01-01T01:00:00Z');
  const min = 60_000;
  const records = [
    { key: 'retired', types: ['Retired'], at: undefined },
    { key: 'mine', types: ['Mine'], at: undefined },
    { key: 'fresh', types: ['Shared', 'Fresh'], at: now - 15 * min + 1 },
    { key: 'old', types: ['Shared', 'Old'], at: now - 15 * min },
  ];
  expect(viewOwnership(records, 'mine', now, min)).toEqual({ claimed: new Set(['Shared', 'Fresh']), orphaned: ['Old', 'Retired'], over: ['old', 'retired'] });
  // A 10-minute heartbeat: over after 30 minutes.
  const slow = viewOwnership(records, 'mine', now + 14 * min, 10 * min);
  expect(slow.over).toEqual(['retired']);
  expect(viewOwnership(records, 'mine', now + 15 * min, 10 * min).over).toEqual(['old', 'retired']);
  expect(viewOwnership(records, 'mine', now + 15 * min + 1, 10 * min).over).toEqual(['fresh', 'old', 'retired']);
});

test('the record of an instance is the annotation npd-ts.io/owned-conditions.<instance>', () => {
  expect(recordKey('npd-ts-a1b2c')).toBe('npd-ts.io/owned-conditions.npd-ts-a1b2c');
});
