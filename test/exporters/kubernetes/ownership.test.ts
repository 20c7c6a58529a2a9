/**
 * The name of an agent's ownership record: its pod's name when it fits an annotation key, a stable
 * hash of it when it does not, a random one without a pod name.
 */
import { ownershipInstance } from '../../../src/exporters/kubernetes/ownership.js';

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
