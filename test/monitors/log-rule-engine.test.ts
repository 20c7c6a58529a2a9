import { createRuleEngine } from '../../src/monitors/rule-engine.js';
import { anyOf } from '../../src/monitors/rule-matcher.js';
import type { LogMonitorConfig, LogRuleConfig, ConditionConfig } from '../../src/config/monitor-config.js';
import type { LogLine } from '../../src/sources/log-source.js';
import { logMonitorConfig } from './log-monitor-config.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const rule = (type: LogRuleConfig['type'], reason: string, pattern: string, condition?: string, suffix?: string): LogRuleConfig => ({
  type,
  reason,
  pattern,
  condition,
  patternGeneratedMessageSuffix: suffix,
});
const cond = (type: string, reason: string, expireAfterMs?: number): ConditionConfig => ({ type, reason, message: `${type} ok`, expireAfterMs });
function config(rules: LogRuleConfig[], extra: Partial<LogMonitorConfig> = {}): LogMonitorConfig {
  return logMonitorConfig({
    conditions: [cond('KernelDeadlock', 'KernelHasNoDeadlock'), cond('XfsShutdown', 'XfsHasNotShutDown', 60_000)],
    rules,
    ...extra,
  });
}
let t = T0;
const line = (message: string): LogLine => ({ time: new Date((t += 1000)), message });
const engineFor = (rules: LogRuleConfig[], extra: Partial<LogMonitorConfig> = {}, now = () => t) => createRuleEngine(config(rules, extra), { now });

const oldOom = 'Kill process \\d+ (.+) score \\d+ or sacrifice child\\nKilled process \\d+ (.+) total-vm:\\d+kB, anon-rss:\\d+kB, file-rss:\\d+kB';

describe('rule matching (NPD log_buffer semantics)', () => {
  test('a single-line rule fires once per completing line, not again on later lines', () => {
    const e = engineFor([rule('temporary', 'TaskHung', 'task \\S+:\\w+ blocked for more than \\w+ seconds\\.')]);
    expect(e.push(line('INFO: task docker:20744 blocked for more than 120 seconds.')).matches).toHaveLength(1);
    expect(e.push(line('benign')).matches).toHaveLength(0);
    expect(e.push(line('Call Trace:')).matches).toHaveLength(0);
  });

  test('a multi-line rule matches across lines; message = matched lines joined, time = first line', () => {
    const e = engineFor([rule('temporary', 'OOMKilling', oldOom)]);
    e.push(line('benign 1'));
    const first = line('Kill process 1 (x) score 1 or sacrifice child');
    expect(e.push(first).events).toEqual([]);
    const r = e.push(line('Killed process 1 (x) total-vm:1kB, anon-rss:1kB, file-rss:1kB'));
    expect(r.events).toEqual([
      { severity: 'warn', time: first.time, reason: 'OOMKilling', message: 'Kill process 1 (x) score 1 or sacrifice child\nKilled process 1 (x) total-vm:1kB, anon-rss:1kB, file-rss:1kB' },
    ]);
    expect(r.matches[0]?.lines).toHaveLength(2);
  });

  test('a multi-line match cannot reach past the window', () => {
    const e = engineFor([rule('temporary', 'Pair', 'start(?s:.*)end')], { bufferSize: 3 });
    e.push(line('start'));
    e.push(line('a'));
    expect(e.push(line('end')).matches).toHaveLength(1);
    e.push(line('start'));
    e.push(line('a'));
    e.push(line('b'));
    expect(e.push(line('end')).matches).toHaveLength(0);
  });

  test('the match must end at the newest line: an older match does not fire again', () => {
    const e = engineFor([rule('temporary', 'Multi', 'foo\\nbar')]);
    expect(e.push(line('foo')).matches).toHaveLength(0);
    expect(e.push(line('bar')).matches).toHaveLength(1);
    expect(e.push(line('baz')).matches).toHaveLength(0);
  });

  test('top-level alternation is anchored as a whole (NPD appends \\z textually and re-fires `a` on later lines)', () => {
    const e = engineFor([rule('temporary', 'Alt', 'oom-kill|node ready')]);
    expect(e.push(line('kernel: oom-kill')).matches).toHaveLength(1);
    expect(e.push(line('unrelated')).matches).toHaveLength(0);
  });

  test('^ without (?m) is the start of the window, as in NPD', () => {
    const e = engineFor([rule('temporary', 'Start', '^boot')]);
    expect(e.push(line('boot')).matches).toHaveLength(1);
    expect(e.push(line('boot')).matches).toHaveLength(0);
  });

  test('rules without literals are still evaluated (prefilter does not hide them)', () => {
    const e = engineFor([rule('temporary', 'Oops', '(?i)oops'), rule('temporary', 'Digits', '\\d+')]);
    expect(e.push(line('OOPS')).matches.map((m) => m.rule.reason)).toEqual(['Oops']);
    expect(e.push(line('x 12')).matches.map((m) => m.rule.reason)).toEqual(['Digits']);
  });

  test('several rules can fire on one line, in rule order', () => {
    const e = engineFor([
      rule('temporary', 'TaskHung', 'task [\\S ]+:\\w+ blocked for more than \\w+ seconds\\.'),
      rule('permanent', 'DockerHung', 'task docker:\\w+ blocked for more than \\w+ seconds\\.', 'KernelDeadlock'),
    ]);
    const r = e.push(line('INFO: task docker:20744 blocked for more than 120 seconds.'));
    expect(r.events.map((ev) => ev.reason)).toEqual(['TaskHung', 'DockerHung']);
    expect(r.events[1]?.message).toMatch(/^Node condition KernelDeadlock is now: True, reason: DockerHung/);
  });

  test('patternGeneratedMessageSuffix is appended after "; "', () => {
    const e = engineFor([rule('temporary', 'X', 'boom', undefined, 'see runbook')]);
    expect(e.push(line('boom')).events[0]?.message).toBe('boom; see runbook');
  });

  test('skipList drops a line before matching and keeps it out of the window', () => {
    const e = engineFor([rule('temporary', 'Pair', 'a\\nb')], { skipList: [' audit:'] });
    e.push(line('a'));
    expect(e.push(line('x audit: y')).skipped).toBe(true);
    expect(e.push(line('b')).matches).toHaveLength(1);
  });

  test.each([
    ['1 MB of a', 'a'.repeat(1 << 20)],
    ['1 MB of binary', Array.from({ length: 1 << 20 }, (_, i) => String.fromCharCode((i * 7919) % 256)).join('')],
  ])('hostile line (%s) returns without a match', (_name, message) => {
    const e = engineFor([rule('temporary', 'OOMKilling', 'Killed process \\d+ (.+) total-vm:\\d+kB, anon-rss:\\d+kB, file-rss:\\d+kB.*'), rule('temporary', 'M', '(a|aa)+$x'), rule('temporary', 'Pair', '(?s)start.*end')]);
    for (let i = 0; i < 3; i++) expect(e.push(line(message)).matches).toHaveLength(0);
  });
});

describe('prefilter and window ring', () => {
  test('a key taken without its leading ": " or spaces still lets only whole matches fire', () => {
    const e = engineFor([rule('temporary', 'ARPOverFlow', '\\w+: neighbor table overflow!'), rule('temporary', 'Hung', ' blocked for more than \\d+ seconds')]);
    const fired = (m: string): string[] => e.push(line(m)).events.map((ev) => ev.reason);
    expect(fired('neighbour: arp_cache: neighbor table overflow!')).toEqual(['ARPOverFlow']);
    expect(fired('neighbor table overflow!')).toEqual([]); // the key is there, the pattern is not
    expect(fired('task x:1 blocked for more than 120 seconds')).toEqual(['Hung']);
    expect(fired('blocked for more than 120 seconds')).toEqual([]);
  });
  test('rules whose keys share prefixes each still fire (factored key regex)', () => {
    const e = engineFor([
      rule('temporary', 'A', 'BUG: unable to handle kernel NULL'),
      rule('temporary', 'B', 'BUG: unable to handle page fault'),
      rule('temporary', 'C', 'BUG: soft lockup'),
      rule('temporary', 'D', 'BUG'),
      rule('temporary', 'E', 'EXT4-fs error \\d+'),
    ]);
    const fired = (m: string): string[] => e.push(line(m)).events.map((ev) => ev.reason);
    expect(fired('BUG: unable to handle kernel NULL')).toEqual(['A']);
    expect(fired('x BUG: unable to handle page fault')).toEqual(['B']);
    expect(fired('BUG: soft lockup')).toEqual(['C']);
    expect(fired('oh BUG')).toEqual(['D']);
    expect(fired('EXT4-fs error 5')).toEqual(['E']);
    expect(fired('BUG: unable to handle')).toEqual([]);
  });

  test.each([
    [['ab', 'ac', 'a(b'], ['xab', 'a(b', 'a(', 'ad', '']],
    [['BUG: x', 'BUG: y', 'BUG'], ['BU', 'BUG', 'BUG: z']],
    [['a|b', 'a*', '[x]'], ['a', 'a|b', 'aa*', '[x]', 'x']],
  ])('anyOf(%j) matches exactly the strings containing a word', (words, inputs) => {
    const re = new RegExp(anyOf(words));
    for (const s of inputs) expect([s, re.test(s)]).toEqual([s, words.some((w) => s.includes(w))]);
  });

  test('a window longer than bufferSize keeps only the newest lines, in order', () => {
    const e = engineFor([rule('temporary', 'Seq', 'l1\\nl2\\nl3')], { bufferSize: 3 });
    for (const m of ['l0', 'l1', 'l2']) e.push(line(m));
    const r = e.push(line('l3'));
    expect(r.matches[0]?.lines.map((l) => l.message)).toEqual(['l1', 'l2', 'l3']);
    const e2 = engineFor([rule('temporary', 'Seq', 'l0\\nl1\\nl2\\nl3')], { bufferSize: 3 });
    for (const m of ['l0', 'l1', 'l2']) e2.push(line(m));
    expect(e2.push(line('l3')).matches).toHaveLength(0);
  });
});

describe('conditions', () => {
  const xfs = rule('permanent', 'XfsHasShutdown', 'XFS .* Shutting down filesystem.?', 'XfsShutdown');
  const xfsBack = rule('recovery', '', 'XFS \\(\\w+\\): Mounting.*', 'XfsShutdown');

  test('start False with default reasons', () => {
    const e = engineFor([xfs]);
    expect(e.conditions().map((c) => [c.type, c.status, c.reason])).toEqual([
      ['KernelDeadlock', 'False', 'KernelHasNoDeadlock'],
      ['XfsShutdown', 'False', 'XfsHasNotShutDown'],
    ]);
  });

  test('permanent → True once; the same again is no change; recovery → False', () => {
    const e = engineFor([xfs, xfsBack]);
    const l = line('XFS (sda1): Corruption detected. Shutting down filesystem.');
    const r1 = e.push(l);
    expect(r1.changed).toBe(true);
    expect(r1.conditions[1]).toMatchObject({ type: 'XfsShutdown', status: 'True', reason: 'XfsHasShutdown', message: l.message, transition: l.time });
    const r2 = e.push(line('XFS (sda1): again Shutting down filesystem'));
    expect(r2.changed).toBe(false);
    expect(r2.events).toEqual([]);
    const r3 = e.push(line('XFS (sda1): Mounting V5 Filesystem'));
    expect(r3.changed).toBe(true);
    expect(r3.conditions[1]).toMatchObject({ status: 'False', reason: 'XfsHasNotShutDown', message: 'XfsShutdown ok' });
    expect(r3.events[0]?.severity).toBe('info');
  });

  test('expireAfter returns True to False after the time with no new match', () => {
    let now = T0;
    const e = engineFor([xfs], {}, () => now);
    e.push(line('XFS (sda1): Shutting down filesystem'));
    expect(e.nextExpiryMs()).toBe(T0 + 60_000);
    now = T0 + 30_000;
    e.push(line('XFS (sda1): Shutting down filesystem'));
    expect(e.nextExpiryMs()).toBe(T0 + 90_000);
    now = T0 + 89_999;
    expect(e.expire().changed).toBe(false);
    now = T0 + 90_000;
    const r = e.expire();
    expect(r.changed).toBe(true);
    expect(r.conditions[1]).toMatchObject({ status: 'False', reason: 'XfsHasNotShutDown' });
    expect(e.nextExpiryMs()).toBeUndefined();
  });

  test('conditions without expireAfter never expire', () => {
    let now = T0;
    const e = engineFor([rule('permanent', 'DockerHung', 'hung', 'KernelDeadlock')], {}, () => now);
    e.push(line('hung'));
    now += 365 * 86_400_000;
    expect(e.expire().changed).toBe(false);
    expect(e.conditions()[0]?.status).toBe('True');
  });

  test('initialConditions: starts from what the Node shows, no flip to False', () => {
    const shown = { type: 'KernelDeadlock', status: 'True' as const, transition: new Date(T0 - 5000), reason: 'DockerHung', message: 'task docker:1 blocked' };
    const e = createRuleEngine(config([rule('permanent', 'DockerHung', 'task docker', 'KernelDeadlock')]), { now: () => T0, initialConditions: [shown] });
    expect(e.conditions()[0]).toEqual(shown);
    expect(e.conditions()[1]?.status).toBe('False');
    expect(e.push(line('task docker')).changed).toBe(false);
  });
});

describe('counting rules (NPD log-counter as a rule: count, window, revertPattern)', () => {
  const minute = 60_000;
  const counting = (type: 'temporary' | 'permanent', threshold: number, revertPattern?: string): LogRuleConfig => ({
    ...rule(type, 'FrequentRestart', 'Started kubelet\\.service\\.', type === 'permanent' ? 'KernelDeadlock' : undefined),
    count: { threshold, windowMs: 20 * minute, revertPattern },
  });
  /** A line at `T0 + atMin` minutes. */
  const at = (atMin: number, message: string): LogLine => ({ time: new Date(T0 + atMin * minute), message });
  const started = (atMin: number): LogLine => at(atMin, 'Started kubelet.service.');

  test('a temporary counting rule fires from the threshold on, each match after that, and the message carries the count', () => {
    const e = engineFor([counting('temporary', 3)]);
    expect(e.push(started(0)).events).toEqual([]);
    expect(e.push(started(1)).events).toEqual([]);
    const third = e.push(started(2));
    expect(third.matches).toHaveLength(1);
    expect(third.events).toEqual([{ severity: 'warn', time: new Date(T0 + 2 * minute), reason: 'FrequentRestart', message: 'Started kubelet.service. (3 times in 20m, threshold 3)' }]);
    expect(e.push(started(3)).events[0]?.message).toContain('(4 times in 20m');
  });

  test('only matches within the window count', () => {
    const e = engineFor([counting('temporary', 3)]);
    e.push(started(0));
    e.push(started(10));
    // The first has left the 20-minute window by minute 20.
    expect(e.push(started(20)).events).toEqual([]);
    expect(e.push(started(21)).events).toHaveLength(1);
  });

  test('a permanent counting rule sets its condition at the threshold and clears it when the count falls below', () => {
    let now = T0;
    const e = engineFor([counting('permanent', 3)], {}, () => now);
    e.push(started(0));
    e.push(started(5));
    const r = e.push(started(6));
    expect(r.changed).toBe(true);
    expect(r.conditions[0]).toMatchObject({ type: 'KernelDeadlock', status: 'True', reason: 'FrequentRestart' });
    // Below 3 once the match of minute 0 leaves the window, at minute 20.
    expect(e.nextExpiryMs()).toBe(T0 + 20 * minute);
    now = T0 + 20 * minute - 1;
    expect(e.expire().changed).toBe(false);
    now = T0 + 20 * minute;
    const cleared = e.expire();
    expect(cleared.changed).toBe(true);
    expect(cleared.conditions[0]).toMatchObject({ status: 'False', reason: 'KernelHasNoDeadlock' });
    expect(e.nextExpiryMs()).toBeUndefined();
  });

  test('another match while True moves the clear time out', () => {
    let now = T0;
    const e = engineFor([counting('permanent', 2)], {}, () => now);
    e.push(started(0));
    e.push(started(1));
    expect(e.nextExpiryMs()).toBe(T0 + 20 * minute); // minute 0 leaves: 1 < 2
    e.push(started(15));
    expect(e.nextExpiryMs()).toBe(T0 + 21 * minute); // now minute 1 leaving takes it below 2
  });

  test('revertPattern matches take one off, before or after (a clean stop + start is no crash)', () => {
    const e = engineFor([counting('temporary', 3, 'Stopping kubelet\\.service\\.\\.\\.')]);
    for (let i = 0; i < 5; i++) {
      e.push(at(i * 2, 'Stopping kubelet.service...'));
      expect(e.push(started(i * 2 + 1)).events).toEqual([]);
    }
    // Three crash restarts without a stop reach the threshold.
    e.push(started(11));
    e.push(started(12));
    expect(e.push(started(13)).events).toHaveLength(1);
  });

  test('a revert that takes a True count below the threshold clears it at the next expiry check', () => {
    let now = T0;
    const e = engineFor([counting('permanent', 2, 'Stopping kubelet\\.service\\.\\.\\.')], {}, () => now);
    e.push(started(0));
    expect(e.push(started(1)).conditions[0]?.status).toBe('True');
    now = T0 + 2 * minute;
    e.push(at(2, 'Stopping kubelet.service...'));
    expect(e.nextExpiryMs()).toBe(now);
    const r = e.expire();
    expect(r.changed).toBe(true);
    expect(r.conditions[0]?.status).toBe('False');
  });

  test('a count-set condition that another rule has set since is not cleared by the count', () => {
    let now = T0;
    const hung = rule('permanent', 'DockerHung', 'task docker:\\d+ blocked', 'KernelDeadlock');
    const e = engineFor([counting('permanent', 2), hung], {}, () => now);
    e.push(started(0));
    e.push(started(1));
    e.push(at(2, 'task docker:12 blocked'));
    now = T0 + 30 * minute;
    e.expire();
    expect(e.conditions()[0]).toMatchObject({ status: 'True', reason: 'DockerHung' });
  });

  test('carried over a restart (initialConditions), a count-set condition clears after one quiet window', () => {
    let now = T0;
    const shown = { type: 'KernelDeadlock', status: 'True' as const, transition: new Date(T0 - 5 * minute), reason: 'FrequentRestart', message: 'm' };
    const e = createRuleEngine(config([counting('permanent', 3)]), { now: () => now, initialConditions: [shown] });
    expect(e.conditions()[0]).toEqual(shown);
    expect(e.nextExpiryMs()).toBe(T0 + 20 * minute);
    now = T0 + 20 * minute;
    expect(e.expire().conditions[0]?.status).toBe('False');
  });

  test('the rule without `count` is NPD\'s: every match fires', () => {
    const e = engineFor([rule('temporary', 'KubeletStart', 'Started kubelet\\.service\\.')]);
    expect(e.push(started(0)).events).toHaveLength(1);
  });
});
