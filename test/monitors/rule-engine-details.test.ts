/**
 * What the rule engine does with conditions carried over a restart (`initialConditions`), with its
 * results' sharing and with revert patterns of a rule that has no condition, and what it asks of a
 * source's prefilter (literals, context).
 */
import type { Condition } from '../../src/core/problem.js';
import type { ConditionConfig, LogRuleConfig } from '../../src/config/monitor-config.js';
import { createRuleEngine } from '../../src/monitors/rule-engine.js';
import { logMonitorConfig } from './log-monitor-config.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const minute = 60_000;
const conditions: ConditionConfig[] = [
  { type: 'KernelDeadlock', reason: 'KernelHasNoDeadlock', message: 'ok', expireAfterMs: undefined },
  { type: 'XfsShutdown', reason: 'XfsHasNotShutDown', message: 'ok', expireAfterMs: 10 * minute },
];
const restarts: LogRuleConfig = {
  type: 'permanent', condition: 'KernelDeadlock', reason: 'FrequentRestart', pattern: 'Started kubelet', patternGeneratedMessageSuffix: undefined,
  count: { threshold: 2, windowMs: 20 * minute, revertPattern: 'Stopping kubelet' },
};
const carried = (type: string, reason: string, at: number): Condition => ({ type, status: 'True', transition: new Date(at), reason, message: 'before the restart' });
const engine = (rules: LogRuleConfig[], initialConditions: Condition[], now = () => T0) => createRuleEngine(logMonitorConfig({ conditions, rules }), { now, initialConditions });

test('a carried True condition with expireAfter expires that long after its transition, not after the restart', () => {
  const e = engine([], [carried('XfsShutdown', 'XfsHasShutdown', T0 - 4 * minute)]);
  expect(e.nextExpiryMs()).toBe(T0 + 6 * minute);
});

test('a carried True condition another rule set is not cleared by a counting rule on the same condition', () => {
  const e = engine([restarts], [carried('KernelDeadlock', 'DockerHung', T0 - minute)], () => T0 + 60 * minute);
  expect(e.nextExpiryMs()).toBeUndefined();
  expect(e.expire().conditions[0]).toMatchObject({ status: 'True', reason: 'DockerHung' });
});

test('a carried True condition is not cleared by a counting rule with its reason on another condition', () => {
  const other: ConditionConfig = { type: 'Other', reason: 'NoOther', message: 'ok', expireAfterMs: undefined };
  const e = createRuleEngine(logMonitorConfig({ conditions: [...conditions, other], rules: [restarts] }), { now: () => T0, initialConditions: [carried('Other', 'FrequentRestart', T0 - minute)] });
  expect(e.nextExpiryMs()).toBeUndefined();
});

test('a carried True condition set by a counting rule clears after a window, whatever rule with its reason comes first', () => {
  const plain: LogRuleConfig = { ...restarts, pattern: 'kubelet restarted', count: undefined };
  expect(engine([plain, restarts], [carried('KernelDeadlock', 'FrequentRestart', T0 - minute)]).nextExpiryMs()).toBe(T0 + 20 * minute);
});

test('carried False conditions and conditions the file does not declare are left alone', () => {
  const e = engine([restarts], [{ ...carried('KernelDeadlock', 'KernelHasNoDeadlock', T0 - minute), status: 'False' }, carried('Other', 'X', T0)]);
  expect(e.nextExpiryMs()).toBeUndefined();
  expect(e.conditions().map((c) => c.type)).toEqual(['KernelDeadlock', 'XfsShutdown']);
});

test('lines that change nothing share one frozen result until a condition changes', () => {
  const e = engine([{ ...restarts, count: undefined }], []);
  const line = (message: string) => ({ time: new Date(T0), message });
  const a = e.push(line('benign'));
  const b = e.push(line('other'));
  expect(b).toBe(a);
  expect(Object.isFrozen(a) && Object.isFrozen(a.conditions)).toBe(true);
  expect(e.push(line('Started kubelet')).changed).toBe(true);
  const c = e.push(line('benign'));
  expect(c).not.toBe(a);
  expect(c.conditions[0]?.status).toBe('True');
});

test('a revert of a counting rule without a condition only lowers its count', () => {
  const temporary: LogRuleConfig = { ...restarts, type: 'temporary', condition: undefined };
  const e = engine([temporary], []);
  const at = (m: number, message: string) => ({ time: new Date(T0 + m * minute), message });
  expect(e.push(at(0, 'Started kubelet')).events).toEqual([]);
  expect(e.push(at(1, 'Stopping kubelet')).events).toEqual([]);
  expect(e.push(at(2, 'Started kubelet')).events).toEqual([]);
  expect(e.push(at(3, 'Started kubelet')).events.map((ev) => ev.reason)).toEqual(['FrequentRestart']);
  expect(e.nextExpiryMs()).toBeUndefined();
});

test('the context lines the prefilter must keep are the matcher\'s', () => {
  expect(engine([{ ...restarts, pattern: 'a\\nb', count: undefined }], []).context).toBe(9);
  expect(engine([restarts], []).context).toBe(0);
});

test.each<[string, string[], string[] | undefined]>([
  ['the rules\' keys and the skip list (a skipped line counts)', [' audit:'], ['Started kubelet', ' audit:']],
  ['no skip list', [], ['Started kubelet']],
  ['an empty skip-list entry skips every line: any line may count', [''], undefined],
])('literals: %s', (_name, skipList, literals) => {
  expect(createRuleEngine(logMonitorConfig({ conditions, rules: [{ ...restarts, count: undefined }], skipList }), { now: () => T0 }).literals).toEqual(literals);
});

test('results in full: a skipped line, an expiry check, a match that changes nothing', () => {
  const e = createRuleEngine(logMonitorConfig({ conditions, rules: [{ ...restarts, count: undefined }], skipList: [' audit:', 'debug:'] }), { now: () => T0 });
  const line = (message: string) => ({ time: new Date(T0), message });
  const skipped = e.push(line('type=1400 audit: Started kubelet'));
  expect({ ...skipped, conditions: undefined }).toEqual({ events: [], conditions: undefined, changed: false, matches: [], skipped: true });
  expect(e.expire()).toEqual({ events: [], conditions: e.conditions(), changed: false, matches: [], skipped: false });
  expect(e.push(line('Started kubelet')).events).toHaveLength(1);
  const again = e.push(line('Started kubelet'));
  expect([again.events.length, again.changed, again.matches.length]).toEqual([0, false, 1]);
});

test('a condition set again by a rule whose condition never expires drops the earlier expiry', () => {
  let now = T0;
  const hung: LogRuleConfig = { type: 'permanent', condition: 'KernelDeadlock', reason: 'DockerHung', pattern: 'task docker:\\d+ blocked', patternGeneratedMessageSuffix: undefined };
  const e = engine([restarts, hung], [], () => now);
  const at = (m: number, message: string) => ({ time: new Date(T0 + m * minute), message });
  e.push(at(0, 'Started kubelet'));
  e.push(at(1, 'Started kubelet'));
  expect(e.nextExpiryMs()).toBe(T0 + 20 * minute);
  now = T0 + 2 * minute;
  e.push(at(2, 'task docker:12 blocked'));
  expect(e.nextExpiryMs()).toBeUndefined();
});

test('which lines need their context is the matcher\'s answer', () => {
  const oom: LogRuleConfig = { type: 'temporary', condition: undefined, reason: 'Oom', pattern: 'Kill process \\d+\\nKilled process \\d+', patternGeneratedMessageSuffix: undefined };
  expect(engine([oom], []).contextTests.map((needs) => [needs('Killed process 1'), needs('x Killed process 1')])).toEqual([[true, false]]);
});

test('a counting rule\'s revert leaves alone the expiry of a condition another rule set', () => {
  let t = T0;
  const shutdown: LogRuleConfig = { type: 'permanent', condition: 'XfsShutdown', reason: 'XfsHasShutdown', pattern: 'XFS shutdown', patternGeneratedMessageSuffix: undefined };
  const errors: LogRuleConfig = { ...shutdown, reason: 'XfsErrors', pattern: 'XFS error', count: { threshold: 2, windowMs: 20 * minute, revertPattern: 'XFS ok' } };
  const e = engine([shutdown, errors], [], () => t);
  e.push({ time: new Date(t), message: 'XFS shutdown' });
  t += minute;
  e.push({ time: new Date(t), message: 'XFS ok' });
  expect(e.nextExpiryMs()).toBe(T0 + 10 * minute);
});
