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

describe('Unknown', () => {
  const unknown = (message: string, time: Date) => ({ status: 'Unknown' as const, reason: 'ignored', message, time });
  test('Unknown again with another message: no change, unless message changes update, which keep the transition time', () => {
    const first = transition(defaultCondition(def, t0), def, unknown('a', t1)).condition;
    expect(transition(first, def, unknown('b', t2))).toEqual({ condition: first, event: undefined });
    const updated = transition(first, def, unknown('b', t2), { messageChangeUpdates: true });
    expect(updated.condition).toEqual({ type: 'KernelDeadlock', status: 'Unknown', transition: t1, reason: 'KernelHasNoDeadlock', message: 'b' });
    expect(updated.event).toEqual({ severity: 'info', time: t2, reason: 'KernelHasNoDeadlock', message: 'Node condition KernelDeadlock is now: Unknown, reason: KernelHasNoDeadlock, message: "b"' });
    expect(transition(first, def, unknown('a', t2), { messageChangeUpdates: true }).event).toBeUndefined();
  });
  test('False again is no change even with message change updates', () => {
    const c = defaultCondition(def, t0);
    expect(transition(c, def, { status: 'False', reason: '', message: 'other', time: t1 }, { messageChangeUpdates: true })).toEqual({ condition: c, event: undefined });
  });
  test('True → Unknown: a change at the new time, back to the default reason', () => {
    const t = transition(defaultCondition(def, t0), def, { status: 'True', reason: 'A', message: 'a', time: t1 }).condition;
    const next = transition(t, def, unknown('no data', t2));
    expect(next.condition).toEqual({ type: 'KernelDeadlock', status: 'Unknown', transition: t2, reason: 'KernelHasNoDeadlock', message: 'no data' });
    expect(next.event?.message).toBe('Node condition KernelDeadlock is now: Unknown, reason: KernelHasNoDeadlock, message: "no data"');
  });
  test('a condition still False but with another reason (carried from an older file) is rewritten, keeping its time', () => {
    const old = { type: 'KernelDeadlock', status: 'False' as const, transition: t0, reason: 'OldReason', message: 'old' };
    const next = transition(old, def, { status: 'False', reason: '', message: '', time: t1 });
    expect(next.condition).toEqual({ type: 'KernelDeadlock', status: 'False', transition: t0, reason: 'KernelHasNoDeadlock', message: 'kernel has no deadlock' });
    expect(next.event?.severity).toBe('info');
  });
  test('the message is quoted as JSON in the event', () => {
    const next = transition(defaultCondition(def, t0), def, { status: 'True', reason: 'R', message: 'say "hi"\n', time: t1 });
    expect(next.event?.message).toBe('Node condition KernelDeadlock is now: True, reason: R, message: "say \\"hi\\"\\n"');
  });
});

describe('edge cases of the reason and message', () => {
  test('a problem reason equal to the default reason still turns the condition True', () => {
    const next = transition(defaultCondition(def, t0), def, { status: 'True', reason: 'KernelHasNoDeadlock', message: 'm', time: t1 });
    expect(next.condition).toMatchObject({ status: 'True', reason: 'KernelHasNoDeadlock', transition: t1 });
    expect(next.event?.severity).toBe('warn');
  });
  test('with message change updates, the same message again is no change', () => {
    const first = transition(defaultCondition(def, t0), def, { status: 'True', reason: 'R', message: 'a', time: t1 }).condition;
    expect(transition(first, def, { status: 'True', reason: 'R', message: 'a', time: t2 }, { messageChangeUpdates: true })).toEqual({ condition: first, event: undefined });
  });
  test('with message change updates, a False condition with an older message stays as it is', () => {
    const old = { ...defaultCondition(def, t0), message: 'an older wording' };
    expect(transition(old, def, { status: 'False', reason: '', message: '', time: t1 }, { messageChangeUpdates: true })).toEqual({ condition: old, event: undefined });
  });
});
