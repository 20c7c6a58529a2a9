/**
 * docs/architecture.md stays true to the tree: every layer folder of src/ has its row, and code
 * comments point there, never at documents outside the repository.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const doc = readFileSync(join(root, 'docs/architecture.md'), 'utf8');

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.ts') ? [p] : [];
  });
}

test('every folder of src/ has its row in the layer table', () => {
  const folders = readdirSync(join(root, 'src')).filter((f) => statSync(join(root, 'src', f)).isDirectory());
  const rows = [...doc.matchAll(/^\| `([a-z0-9-]+)\/` \|/gm)].map((m) => m[1]);
  expect([...rows].sort()).toEqual([...folders].sort());
});

test('code comments point at docs/architecture.md, not at DESIGN.md, STYLE rules or ../shared', () => {
  const offenders = ['src', 'bench', 'test/helpers']
    .flatMap((d) => walk(join(root, d)))
    .filter((f) => /DESIGN\.md|STYLE rule|\.\.\/shared/.test(readFileSync(f, 'utf8')))
    .map((f) => f.slice(root.length));
  expect(offenders).toEqual([]);
});
