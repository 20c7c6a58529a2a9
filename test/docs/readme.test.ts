/**
 * The README is the user's manual: every condition type, reason and source the shipped monitors can
 * produce, every profile, every CLI flag and every field of the monitor-file format must be
 * documented there, so the docs cannot drift.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { declaredFlags } from '../../src/app/flag-table.js';
import { logMonitorFormat, probeMonitorFormat } from '../../src/config/monitor-format.js';
import { repoRoot } from '../helpers/cli.js';

const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
const monitors = readdirSync(join(repoRoot, 'monitors'))
  .filter((f) => f.endsWith('.json'))
  .map((f) => ({ file: f, doc: JSON.parse(readFileSync(join(repoRoot, 'monitors', f), 'utf8')) as {
    conditions?: { type: string; reason: string }[];
    rules: { type: string; reason?: string; condition?: string }[];
  } }));

const names = new Set<string>();
for (const { doc } of monitors) {
  for (const c of doc.conditions ?? []) names.add(c.type).add(c.reason);
  for (const r of doc.rules) if (r.reason) names.add(r.reason);
}

test.each([...names].sort())('README documents %s', (name) => {
  expect(readme).toContain(`\`${name}\``);
});

test.each(monitors.map((m) => m.file))('README names monitor file %s', (file) => {
  expect(readme).toContain(file);
});

test.each(readdirSync(join(repoRoot, 'config')).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, '')))('README documents profile %s', (profile) => {
  expect(readme).toContain(`\`${profile}\``);
});

const fields = [logMonitorFormat, probeMonitorFormat].flatMap((format) => [
  ...Object.keys(format.fields),
  ...Object.keys(format.fields.conditions.item.fields),
  ...Object.keys(format.fields.rules.item.fields),
]);
test.each([...new Set(fields)])('README documents monitor-file field %s (in the text or an example)', (field) => {
  expect([`\`${field}\``, `"${field}"`].some((quoted) => readme.includes(quoted))).toBe(true);
});

test.each(Object.entries(probeMonitorFormat.fields.pluginConfig.spec.fields))('README gives the default of pluginConfig.%s as the format table does', (key, field) => {
  expect(readme).toContain(`\`${key}\` (${String(field.default)})`);
});

const flags = declaredFlags({ root: repoRoot, version: '0.0.0' });

test.each([...new Set(flags)])('README documents flag %s', (flag) => {
  expect(readme).toContain(flag);
});

test('the quick start gives the run and test commands, and .ci/run calls the same test command', () => {
  expect(readme).toContain('npm install && npm run standalone');
  expect(readme).toContain('bash test/run.sh');
  expect(readFileSync(join(repoRoot, '.ci/run'), 'utf8')).toContain('test/run.sh');
});
