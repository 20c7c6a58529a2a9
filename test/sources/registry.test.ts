import { systemClock } from '../../src/core/clock.js';
import { ConfigError } from '../../src/core/errors.js';
import { silentLogger } from '../../src/core/logger.js';
import { createSource, isSourcePlugin, sourceRegistry } from '../../src/sources/registry.js';
import { noopTelemetry } from '../../src/core/telemetry.js';

const deps = { clock: systemClock, logger: silentLogger, telemetry: noopTelemetry, bootTimeMs: 0 };
const config = (plugin: string) => ({ plugin, file: 'm.json', source: 's', logPath: '/nonexistent', lookbackMs: 0, delayMs: 0, pluginConfig: {} });

describe('source registry', () => {
  test.each(['kmsg', 'filelog', 'journald'])('%s resolves to a source', (name) => {
    expect(isSourcePlugin(name)).toBe(true);
    const s = createSource(config(name), deps);
    expect(typeof s.lines).toBe('function');
    expect(s.health().restarts).toBe(0);
  });

  test('unknown plugin → ConfigError naming the known ones', () => {
    expect(() => createSource(config('syslog'), deps)).toThrow(new ConfigError('m.json', 'plugin', 'unknown plugin "syslog"; known: kmsg, filelog, journald'));
    expect(isSourcePlugin('toString')).toBe(false);
    expect(Object.keys(sourceRegistry)).toEqual(['kmsg', 'filelog', 'journald']);
  });
});
