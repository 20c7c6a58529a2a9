import { MAX_ENTRIES, createRuleCounter } from '../../src/monitors/rule-counter.js';

describe('rule counter', () => {
  test('counts +1/−1 entries within the window ending at the given time', () => {
    const c = createRuleCounter(1000);
    expect(c.add(0, 1)).toBe(1);
    expect(c.add(500, 1)).toBe(2);
    expect(c.add(600, -1)).toBe(1);
    expect(c.count(999)).toBe(1);
    // The entry at 0 leaves at 1000 (an entry exactly one window old is out).
    expect(c.count(1000)).toBe(0);
    expect(c.count(1600)).toBe(0);
  });

  test('belowAt: when ageing out takes the count below a threshold', () => {
    const c = createRuleCounter(1000);
    c.add(0, 1);
    c.add(100, 1);
    c.add(200, 1);
    expect(c.belowAt(3, 200)).toBe(1000); // the entry at 0 leaves
    expect(c.belowAt(2, 200)).toBe(1100); // then the one at 100
    expect(c.belowAt(4, 200)).toBe(200); // already below
    // Entries already out of the window do not count: below now, not when they left.
    expect(c.belowAt(1, 1500)).toBe(1500);
  });

  test('belowAt steps over a revert whose leaving raises the count', () => {
    const c = createRuleCounter(1000);
    c.add(0, -1);
    c.add(100, 1);
    c.add(200, 1);
    c.add(300, 1);
    expect(c.count(300)).toBe(2);
    // At 1000 the −1 leaves (3), at 1100 the +1 of 100 (2), at 1200 the next (1).
    expect(c.belowAt(2, 300)).toBe(1200);
  });

  test('a flood keeps at most MAX_ENTRIES entries (the count can only be lower)', () => {
    const c = createRuleCounter(Number.MAX_SAFE_INTEGER);
    for (let i = 0; i < MAX_ENTRIES + 500; i++) c.add(i, 1);
    expect(c.count(MAX_ENTRIES + 500)).toBe(MAX_ENTRIES);
  });
});
