/**
 * The layers of DESIGN.md as a test (STYLE rule 6): sources know nothing of rules, monitors nothing of
 * exporters, exporters only see Status. Only the wiring modules may import across layers. Also checks
 * that the production path never loads @kubernetes/client-node at run time (it costs ~80 MiB of RSS).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const src = join(root, 'src');

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

interface Import { readonly from: string; readonly to: string; readonly typeOnly: boolean; readonly spec: string }

function importsOf(file: string): Import[] {
  const text = readFileSync(file, 'utf8');
  const out: Import[] = [];
  const re = /^\s*(import|export)\s+(type\s+)?[^'";]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm;
  for (const m of text.matchAll(re)) {
    const spec = (m[3] ?? m[4]) as string;
    const typeOnly = Boolean(m[2]);
    const to = spec.startsWith('.') ? relative(src, resolve(dirname(file), spec)).replace(/\.js$/, '.ts') : spec;
    out.push({ from: relative(src, file), to, typeOnly, spec });
  }
  return out;
}

const all = walk(src).flatMap(importsOf);
const layer = (p: string): string => (p.includes('/') ? p.split('/')[0]! : p.replace(/\.ts$/, ''));

/** Layer → layers it must never import (type imports included: the layers must stay independent). */
const forbidden: Record<string, readonly string[]> = {
  sources: ['monitors', 'exporters', 'probes', 'agent', 'build-monitor', 'run', 'cli'],
  probes: ['monitors', 'exporters', 'sources', 'agent', 'build-monitor', 'run', 'cli'],
  monitors: ['exporters', 'agent', 'build-monitor', 'run', 'cli'],
  exporters: ['monitors', 'sources', 'probes', 'config', 'agent', 'build-monitor', 'run', 'cli'],
  config: ['exporters', 'agent', 'run', 'cli'],
  problem: ['sources', 'monitors', 'exporters', 'probes', 'config', 'telemetry', 'agent', 'run', 'cli'],
};

test('src/ has modules to check', () => {
  expect(all.length).toBeGreaterThan(10);
});

test.each(Object.entries(forbidden))('%s/ imports none of the layers it must not know', (from, banned) => {
  const violations = all.filter((i) => layer(i.from) === from && i.spec.startsWith('.') && banned.includes(layer(i.to)));
  expect(violations.map((v) => `${v.from} → ${v.spec}`)).toEqual([]);
});

test('problem.ts imports nothing (the model is ours and small)', () => {
  expect(all.filter((i) => i.from === 'problem.ts')).toEqual([]);
});

test('@kubernetes/client-node is only ever imported for types in src/', () => {
  const runtime = all.filter((i) => i.spec.startsWith('@kubernetes/client-node') && !i.typeOnly);
  expect(runtime.map((v) => v.from)).toEqual([]);
});

test('no default exports and no barrel index.ts in src/', () => {
  const files = walk(src);
  expect(files.filter((f) => f.endsWith('/index.ts')).map((f) => relative(src, f))).toEqual([]);
  expect(files.filter((f) => /^export default /m.test(readFileSync(f, 'utf8'))).map((f) => relative(src, f))).toEqual([]);
});

test('only clock.ts calls Date.now or setTimeout (time is a parameter)', () => {
  const offenders = walk(src)
    .filter((f) => !f.endsWith('/clock.ts'))
    .filter((f) => /\b(Date\.now\(|setTimeout\(|setInterval\()/.test(readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '')))
    .map((f) => relative(src, f));
  expect(offenders).toEqual([]);
});
