/**
 * The ClusterRole grants exactly the API calls the agent makes. The calls are read from the source:
 * every request of src/exporters/kubernetes/ declares its RBAC `verb` and `resource` next to its
 * `path` (node-client.ts), so a new call without a matching rule, or a rule no call needs, fails here.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { kustomize, manifestsDir, repoRoot, type KubeObject } from './kube-objects.js';

interface Rule {
  readonly apiGroups: string[];
  readonly resources: string[];
  readonly verbs: string[];
  readonly resourceNames?: string[];
  readonly nonResourceURLs?: string[];
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => join(e.parentPath, e.name));
}

/** `verb resource` of every API request literal in src/ (core group: paths under /api/v1). */
function callsInSource(): { calls: Set<string>; paths: number } {
  const calls = new Set<string>();
  let paths = 0;
  for (const file of sourceFiles(join(repoRoot, 'src'))) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\{[^{}]*?path: `\/api(?:s\/[^`]*)?\/v1\/[^`]*`[^]*?resource: '([\w/]+)'[^}]*\}/g)) {
      const verb = /verb: '(\w+)'/.exec(m[0]);
      if (verb) calls.add(`${verb[1]} ${m[1]}`);
    }
    paths += [...text.matchAll(/path: `\/apis?\//g)].length;
  }
  return { calls, paths };
}

const role = kustomize(manifestsDir).find((o) => o.kind === 'ClusterRole') as KubeObject & { rules: Rule[] };

describe('RBAC', () => {
  const { calls, paths } = callsInSource();

  test('the source declares a verb and a resource for every API path', () => {
    expect(paths).toBeGreaterThan(0);
    expect(calls.size).toBeGreaterThan(0);
    // Several literals may share one verb/resource (e.g. two event paths): compare with literals found.
    const declared = sourceFiles(join(repoRoot, 'src'))
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    expect([...declared.matchAll(/verb: '\w+'/g)].length).toBeGreaterThanOrEqual(paths);
  });

  test('the ClusterRole grants exactly the calls of the source, in the core group', () => {
    const granted = new Set<string>();
    for (const rule of role.rules) {
      expect(rule.apiGroups).toEqual(['']);
      for (const resource of rule.resources) for (const verb of rule.verbs) granted.add(`${verb} ${resource}`);
    }
    expect([...granted].sort()).toEqual([...calls].sort());
  });

  test.each([
    ['no wildcard', (r: Rule) => [...r.verbs, ...r.resources, ...r.apiGroups].includes('*')],
    ['no list or watch', (r: Rule) => r.verbs.some((v) => v === 'list' || v === 'watch')],
    ['no secrets or pods', (r: Rule) => r.resources.some((x) => x === 'secrets' || x === 'pods')],
    ['no non-resource URLs', (r: Rule) => r.nonResourceURLs !== undefined],
  ])('%s', (_name, bad) => {
    expect(role.rules.filter(bad)).toEqual([]);
  });

  test('the ClusterRoleBinding binds the DaemonSet service account', () => {
    const objects = kustomize(manifestsDir);
    const binding = objects.find((o) => o.kind === 'ClusterRoleBinding') as KubeObject & { roleRef: { name: string }; subjects: { kind: string; name: string; namespace: string }[] };
    const ds = objects.find((o) => o.kind === 'DaemonSet') as KubeObject & { metadata: { namespace: string }; spec: { template: { spec: { serviceAccountName: string } } } };
    expect(binding.roleRef.name).toBe(role.metadata.name);
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: ds.spec.template.spec.serviceAccountName, namespace: ds.metadata.namespace }]);
  });
});
