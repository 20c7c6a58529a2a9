/**
 * The layers of docs/architecture.md as a test: sources know nothing of rules, monitors nothing of
 * exporters, exporters only see Status. Only app/ (the wiring) imports across the upper layers. Also checks
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

/**
 * The layers, one folder each, bottom to top (docs/architecture.md). A folder may import only the
 * folders listed for it; type imports count too, so the layers stay independent.
 */
const allowed: Record<string, readonly string[]> = {
  core: [],
  re2: ['core'],
  config: ['core', 're2'],
  sources: ['core', 're2'],
  pods: ['core'],
  probes: ['core', 'pods'],
  kube: ['core'],
  monitors: ['core', 're2', 'config', 'sources', 'pods', 'probes'],
  exporters: ['core', 'kube'],
  app: ['core', 're2', 'config', 'sources', 'pods', 'probes', 'kube', 'monitors', 'exporters'],
};

test('src/ has modules to check', () => {
  expect(all.length).toBeGreaterThan(10);
});

test('every file of src/ sits in one of the layer folders', () => {
  const loose = walk(src).map((f) => relative(src, f)).filter((f) => !(layer(f) in allowed) || !f.includes('/'));
  expect(loose).toEqual([]);
});

test.each(Object.entries(allowed))('%s/ imports only the layers below it', (from, ok) => {
  const violations = all.filter((i) => layer(i.from) === from && i.spec.startsWith('.') && layer(i.to) !== from && !ok.includes(layer(i.to)));
  expect(violations.map((v) => `${v.from} → ${v.spec}`)).toEqual([]);
});

test('no import cycle between files', () => {
  const graph = new Map<string, string[]>();
  for (const i of all) if (i.spec.startsWith('.')) graph.set(i.from, [...(graph.get(i.from) ?? []), i.to]);
  const state = new Map<string, 'open' | 'done'>();
  const cycles: string[] = [];
  const visit = (node: string, path: string[]): void => {
    if (state.get(node) === 'done') return;
    if (state.get(node) === 'open') {
      cycles.push([...path.slice(path.indexOf(node)), node].join(' → '));
      return;
    }
    state.set(node, 'open');
    for (const next of graph.get(node) ?? []) visit(next, [...path, node]);
    state.set(node, 'done');
  };
  for (const node of graph.keys()) visit(node, []);
  expect(cycles).toEqual([]);
});

test('core/problem.ts imports nothing (the model is ours and small)', () => {
  expect(all.filter((i) => i.from === 'core/problem.ts')).toEqual([]);
});

test('@kubernetes/client-node is only ever imported for types in src/', () => {
  const runtime = all.filter((i) => i.spec.startsWith('@kubernetes/client-node') && !i.typeOnly);
  expect(runtime.map((v) => v.from)).toEqual([]);
});

test('node:http, node:net and node:crypto are loaded only with require, in core/node-http.ts and core/node-builtins.ts', () => {
  // An ESM import of them runs every export's lazy getter (test/core/node-http.test.ts).
  const runtime = /^\s*import\s+(?!type\b)[^'";]*?from\s+['"]node:(?:http|net|crypto)['"]|(?<!typeof\s*)import\(\s*['"]node:(?:http|net|crypto)['"]\s*\)/m;
  const code = (f: string): string => readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
  expect(walk(src).filter((f) => runtime.test(code(f))).map((f) => relative(src, f))).toEqual([]);
});

test('no default exports and no barrel index.ts in src/', () => {
  const files = walk(src);
  expect(files.filter((f) => f.endsWith('/index.ts')).map((f) => relative(src, f))).toEqual([]);
  expect(files.filter((f) => /^export default /m.test(readFileSync(f, 'utf8'))).map((f) => relative(src, f))).toEqual([]);
});

test('only core/clock.ts calls Date.now or setTimeout (time is a parameter)', () => {
  const offenders = walk(src)
    .filter((f) => !f.endsWith('/clock.ts'))
    .filter((f) => /\b(Date\.now\(|setTimeout\(|setInterval\()/.test(readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '')))
    .map((f) => relative(src, f));
  expect(offenders).toEqual([]);
});
