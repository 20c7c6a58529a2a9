import { defaultCondition, transition, type ConditionDefault } from '../../src/core/problem.js';

const def: ConditionDefault = { type: 'KernelDeadlock', reason: 'KernelHasNoDeadlock', message: 'kernel has no deadlock' };
const t0 = new Date('2026-01-01T00:00:00Z');
const t1 = new Date('2026-01-01T00:01:00Z');
const t2 = new Date('2026-01-01T00:02:00Z');

describe('transition', () => {
  test('False → True sets reason, message and transition time, with a Warning event', () => {
    const { condition, event } = transition(defaultCondition(def, t0), def, { status: 'True', reason: 'DockerHung', message: 'task docker:1 blocked', time: t1 });
    expect(condition).toEqual({ type: 'KernelDeadlock', status: 'True', transition: t1, reason: 'DockerHung', message: 'task docker:1 blocked' });
    expect(event?.severity).toBe('warn');
    expect(event?.message).toBe('Node condition KernelDeadlock is now: True, reason: DockerHung, message: "task docker:1 blocked"');
  });
  test('True with the same reason again is no change and no event', () => {
    const first = transition(defaultCondition(def, t0), def, { status: 'True', reason: 'DockerHung', message: 'a', time: t1 });
    const again = transition(first.condition, def, { status: 'True', reason: 'DockerHung', message: 'b', time: t2 });
    expect(again.event).toBeUndefined();
    expect(again.condition).toBe(first.condition);
  });
  test('message change updates only when enabled, keeping the transition time', () => {
    const first = transition(defaultCondition(def, t0), def, { status: 'True', reason: 'R', message: 'a', time: t1 });
    const again = transition(first.condition, def, { status: 'True', reason: 'R', message: 'b', time: t2 }, { messageChangeUpdates: true });
    expect(again.condition.message).toBe('b');
    expect(again.condition.transition).toEqual(t1);
    expect(again.event).toBeDefined();
  });
  test('a new reason while True is a change with a new transition time', () => {
    const first = transition(defaultCondition(def, t0), def, { status: 'True', reason: 'A', message: 'a', time: t1 });
    const next = transition(first.condition, def, { status: 'True', reason: 'B', message: 'b', time: t2 });
    expect(next.condition.reason).toBe('B');
    expect(next.condition.transition).toEqual(t2);
  });
  test('True → False returns to the default reason and message, as a Normal event', () => {
    const first = transition(defaultCondition(def, t0), def, { status: 'True', reason: 'A', message: 'a', time: t1 });
    const back = transition(first.condition, def, { status: 'False', reason: 'ignored', message: 'ignored', time: t2 });
    expect(back.condition).toEqual({ type: 'KernelDeadlock', status: 'False', transition: t2, reason: 'KernelHasNoDeadlock', message: 'kernel has no deadlock' });
    expect(back.event?.severity).toBe('info');
  });
  test('False → Unknown keeps the default reason and takes the evidence message', () => {
    const next = transition(defaultCondition(def, t0), def, { status: 'Unknown', reason: 'x', message: 'cannot read file-nr', time: t1 });
    expect(next.condition).toMatchObject({ status: 'Unknown', reason: 'KernelHasNoDeadlock', message: 'cannot read file-nr', transition: t1 });
  });
  test('False → False is no change', () => {
    const c = defaultCondition(def, t0);
    expect(transition(c, def, { status: 'False', reason: '', message: '', time: t1 }).event).toBeUndefined();
  });
});
