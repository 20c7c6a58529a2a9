import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readMonitorFile } from '../../src/config/load-monitor.js';
import { describeMonitor } from '../../src/monitors/describe-monitor.js';
import { logMonitorConfig } from './log-monitor-config.js';

const monitors = fileURLToPath(new URL('../../monitors/', import.meta.url));

describe('describeMonitor: one description for log and probe monitors', () => {
  test('a log monitor: each reason once, recovery rules left out, conditions as declared', async () => {
    const config = await readMonitorFile(join(monitors, 'kernel-monitor.json'));
    const d = describeMonitor(config);
    expect(d.source).toBe('kernel-monitor');
    expect(d.conditions.map((c) => c.type)).toEqual(config.conditions.map((c) => c.type));
    const keys = d.problems.map((p) => `${p.reason}/${p.condition ?? ''}`);
    expect(new Set(keys).size).toBe(keys.length);
    // kernel-monitor.json has several OOMKilling rules; the description has it once.
    expect(config.rules.filter((r) => r.reason === 'OOMKilling').length).toBeGreaterThan(1);
    expect(keys.filter((k) => k === 'OOMKilling/')).toHaveLength(1);
    expect(d.problems).toContainEqual({ reason: 'DockerHung', condition: 'KernelDeadlock' });
  });
  test('a probe monitor: permanent rules name their condition', async () => {
    const d = describeMonitor(await readMonitorFile(join(monitors, 'fd-monitor.json')));
    expect(d.problems.length).toBeGreaterThan(0);
    for (const p of d.problems) expect(d.conditions.map((c) => c.type)).toContain(p.condition);
  });
  test('a problem is its reason and condition together; a temporary rule has no condition', () => {
    const rule = (type: 'temporary' | 'permanent' | 'recovery', reason: string, condition: string | undefined) => ({ type, reason, condition, pattern: 'x', patternGeneratedMessageSuffix: undefined });
    const config = logMonitorConfig({
      rules: [
        rule('temporary', 'A', undefined),
        // The config type lets a temporary rule carry a condition (the loader drops it): it is still an event.
        rule('temporary', 'T', 'C'),
        rule('permanent', 'A', 'C'),
        rule('permanent', 'B', 'C'),
        rule('permanent', 'B', 'C'),
        rule('permanent', 'B', 'D'),
        rule('recovery', 'E', 'C'),
      ],
    });
    expect(describeMonitor(config).problems).toEqual([
      { reason: 'A', condition: undefined },
      { reason: 'T', condition: undefined },
      { reason: 'A', condition: 'C' },
      { reason: 'B', condition: 'C' },
      { reason: 'B', condition: 'D' },
    ]);
  });
});
