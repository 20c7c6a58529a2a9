/**
 * The JSON Schemas in config/schema (for editors and CI linting of monitor files) are generated from
 * the loader's field tables (src/config/monitor-format.ts): the committed files are exactly what
 * `npm run schemas` writes, every shipped monitor and NPD's own files pass both, and files the loader
 * refuses for their shape are refused by the schema too.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { ConfigError } from '../../src/core/errors.js';
import { parseMonitorConfig } from '../../src/config/load-monitor.js';
import { monitorSchemaFiles } from '../../src/config/monitor-schema.js';

const root = new URL('../../', import.meta.url).pathname;
const ajv = new Ajv2020({ allErrors: true, strict: false });
const schemaFor = (name: string) => ajv.compile(JSON.parse(readFileSync(join(root, 'config/schema', name), 'utf8')) as object);
const logSchema = schemaFor('system-log-monitor.schema.json');
const probeSchema = schemaFor('custom-plugin-monitor.schema.json');
const validate = (o: { plugin?: unknown }): boolean => (o.plugin === 'custom' ? probeSchema(o) : logSchema(o));

const files = [
  ...readdirSync(join(root, 'monitors')).map((f) => join(root, 'monitors', f)),
  ...readdirSync(join(root, 'test/fixtures/npd-config')).filter((f) => f.endsWith('.json')).map((f) => join(root, 'test/fixtures/npd-config', f)),
];

describe('monitor JSON Schemas', () => {
  test('config/schema/ holds exactly what `npm run schemas` writes from the field tables', () => {
    const generated = monitorSchemaFiles();
    expect(readdirSync(join(root, 'config/schema')).sort()).toEqual(generated.map((f) => f.name).sort());
    for (const { name, text } of generated) expect([name, readFileSync(join(root, 'config/schema', name), 'utf8')]).toEqual([name, text]);
  });

  test.each(files.map((f) => [f.slice(root.length), f] as const))('%s passes the schema and the loader', (_name, file) => {
    const text = readFileSync(file, 'utf8');
    const ok = validate(JSON.parse(text) as { plugin?: unknown });
    expect([ok, ajv.errorsText(ok ? null : (logSchema.errors ?? probeSchema.errors))]).toEqual([true, 'No errors']);
    expect(() => parseMonitorConfig(text, file)).not.toThrow();
  });

  const base = { plugin: 'kmsg', source: 's', conditions: [{ type: 'C', reason: 'R', message: 'm' }], rules: [{ type: 'temporary', reason: 'X', pattern: 'x' }] };
  test.each<[string, (o: typeof base & Record<string, unknown>) => void]>([
    ['unknown plugin', (o) => (o.plugin = 'syslog')],
    ['permanent rule without condition', (o) => o.rules.push({ type: 'permanent', reason: 'P', pattern: 'p' } as (typeof base.rules)[0])],
    ['rule type', (o) => ((o.rules[0] as { type: string }).type = 'sometimes')],
    ['count without window', (o) => Object.assign(o.rules[0] as object, { count: 3 })],
    ['window without count', (o) => Object.assign(o.rules[0] as object, { window: '5m' })],
    ['count below 1', (o) => Object.assign(o.rules[0] as object, { count: 0, window: '5m' })],
    ['revertPattern without count', (o) => Object.assign(o.rules[0] as object, { revertPattern: 'y' })],
  ])('refused by both: %s', (_name, patch) => {
    const o = structuredClone(base) as typeof base & Record<string, unknown>;
    expect(validate(o)).toBe(true);
    patch(o);
    expect(validate(o)).toBe(false);
    expect(() => parseMonitorConfig(JSON.stringify(o), 'm.json')).toThrow(ConfigError);
  });
});
