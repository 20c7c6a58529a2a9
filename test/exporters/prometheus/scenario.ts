/**
 * Monitor descriptions and Status reports shared by the Prometheus exporter tests: NPD's kernel
 * and readonly monitors (reasons from NPD's config/kernel-monitor.json and readonly-monitor.json), an
 * ACK-style probe monitor, and a monitor with metricsReporting false.
 */
import type { Condition, Event, MonitorDescription, Status } from '../../../src/core/problem.js';
import { conditionChangeEvent } from '../../../src/core/problem.js';

const t0 = new Date('2026-01-01T00:00:00Z');

export const kernelMonitor: MonitorDescription = {
  source: 'kernel-monitor',
  file: 'monitors/kernel.json',
  conditions: [{ type: 'KernelDeadlock', reason: 'KernelHasNoDeadlock', message: 'kernel has no deadlock' }],
  problems: [
    { reason: 'OOMKilling', condition: undefined },
    { reason: 'TaskHung', condition: undefined },
    { reason: 'KernelOops', condition: undefined },
    { reason: 'AUFSUmountHung', condition: 'KernelDeadlock' },
    { reason: 'DockerHung', condition: 'KernelDeadlock' },
  ],
  metricsReporting: true,
};

export const readonlyMonitor: MonitorDescription = {
  source: 'readonly-monitor',
  file: 'monitors/readonly.json',
  conditions: [{ type: 'ReadonlyFilesystem', reason: 'FilesystemIsNotReadOnly', message: 'Filesystem is not read-only' }],
  problems: [{ reason: 'FilesystemIsReadOnly', condition: 'ReadonlyFilesystem' }],
  metricsReporting: true,
};

export const fdMonitor: MonitorDescription = {
  source: 'fd-monitor',
  file: 'monitors/fd.json',
  conditions: [{ type: 'FDPressure', reason: 'NodeHasNoFDPressure', message: 'node has no fd pressure' }],
  problems: [{ reason: 'NodeHasFDPressure', condition: 'FDPressure' }],
  metricsReporting: true,
};

export const quietMonitor: MonitorDescription = {
  source: 'quiet-monitor',
  file: 'monitors/quiet.json',
  conditions: [{ type: 'QuietProblem', reason: 'QuietIsFine', message: 'quiet is fine' }],
  problems: [
    { reason: 'QuietNoise', condition: undefined },
    { reason: 'QuietBroken', condition: 'QuietProblem' },
  ],
  metricsReporting: false,
};

export const allMonitors: readonly MonitorDescription[] = [kernelMonitor, readonlyMonitor, fdMonitor, quietMonitor];

/** A temporary-rule event. */
export function warn(reason: string, message = reason): Event {
  return { severity: 'warn', time: t0, reason, message };
}

/** A condition in a given state. */
export function condition(type: string, status: Condition['status'], reason: string): Condition {
  return { type, status, transition: t0, reason, message: `${type} ${status} ${reason}` };
}

/** A Status carrying one condition's change, with the event NPD emits for it. */
export function changed(source: string, c: Condition): Status {
  return { source, events: [conditionChangeEvent(c, t0)], conditions: [c] };
}

/** The fixed report sequence of the golden test. */
export const goldenSequence: readonly Status[] = [
  { source: 'kernel-monitor', events: [], conditions: [condition('KernelDeadlock', 'False', 'KernelHasNoDeadlock')] },
  { source: 'kernel-monitor', events: [warn('OOMKilling'), warn('OOMKilling'), warn('TaskHung')], conditions: [condition('KernelDeadlock', 'False', 'KernelHasNoDeadlock')] },
  changed('kernel-monitor', condition('KernelDeadlock', 'True', 'DockerHung')),
  changed('kernel-monitor', condition('KernelDeadlock', 'True', 'AUFSUmountHung')),
  changed('readonly-monitor', condition('ReadonlyFilesystem', 'True', 'FilesystemIsReadOnly')),
  changed('fd-monitor', condition('FDPressure', 'True', 'NodeHasFDPressure')),
  changed('fd-monitor', condition('FDPressure', 'False', 'NodeHasNoFDPressure')),
  { source: 'quiet-monitor', events: [warn('QuietNoise')], conditions: [condition('QuietProblem', 'True', 'QuietBroken')] },
];
