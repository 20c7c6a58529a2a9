/**
 * The install (`kubectl apply -k manifests/`) and the optional Prometheus Operator component,
 * rendered by the real `kubectl kustomize` and checked offline against the Kubernetes schemas.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dump } from 'js-yaml';
import { kustomize, kustomizeWithComponents, manifestsDir, repoRoot, unknownFields, validateSchema, type KubeObject } from './kube-objects.js';

const install = kustomize(manifestsDir);
const withOperator = kustomizeWithComponents(['components/prometheus-operator']);
const find = (objects: readonly KubeObject[], kind: string, name?: string): KubeObject[] =>
  objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name.startsWith(name)));

describe('kubectl kustomize manifests/', () => {
  test('renders the objects of the install', () => {
    expect(install.map((o) => o.kind).sort()).toEqual(['ClusterRole', 'ClusterRoleBinding', 'ConfigMap', 'ConfigMap', 'DaemonSet', 'Service', 'ServiceAccount']);
  });

  test.each(install.map((o) => [`${o.kind}/${o.metadata.name}`, o] as const))('%s matches the Kubernetes schema', (_name, o) => {
    expect(() => validateSchema(o)).not.toThrow();
    expect(unknownFields(o)).toEqual([]);
  });

  test('namespaced objects go to kube-system', () => {
    for (const o of install.filter((x) => !x.kind.startsWith('Cluster'))) expect([o.kind, o.metadata.namespace]).toEqual([o.kind, 'kube-system']);
  });

  test('needs no CRD: only core, apps and rbac objects', () => {
    expect(new Set(install.map((o) => o.apiVersion))).toEqual(new Set(['v1', 'apps/v1', 'rbac.authorization.k8s.io/v1']));
  });

  test('the unknown-field check catches a typo', () => {
    const ds = find(install, 'DaemonSet')[0] as KubeObject;
    const typo = JSON.parse(JSON.stringify(ds).replace('"readOnlyRootFilesystem"', '"readOnlyRootFileSystem"')) as KubeObject;
    expect(unknownFields(typo)).toEqual(['DaemonSet.spec.template.spec.containers[0].securityContext.readOnlyRootFileSystem']);
  });

  test('the metrics Service is headless with port 20257 named metrics', () => {
    const svc = find(install, 'Service')[0] as KubeObject & { spec: { clusterIP: string; ports: { name: string; port: number }[]; selector: Record<string, string> } };
    expect(svc.spec.clusterIP).toBe('None');
    expect(svc.spec.ports).toEqual([expect.objectContaining({ name: 'metrics', port: 20257 })]);
    const ds = find(install, 'DaemonSet')[0] as KubeObject & { spec: { template: { metadata: { labels: Record<string, string> } } } };
    expect(ds.spec.template.metadata.labels).toEqual(expect.objectContaining(svc.spec.selector));
  });
});

describe('ConfigMaps of monitors/ and config/', () => {
  test.each([
    ['monitors', 'npd-ts-monitors'],
    ['config', 'npd-ts-config'],
  ])('%s/*.json are all in %s, unchanged', (dir, name) => {
    const cm = find(install, 'ConfigMap', `${name}-`)[0] as KubeObject & { data?: Record<string, string> };
    expect(cm).toBeDefined();
    const files = existsSync(join(repoRoot, dir)) ? readdirSync(join(repoRoot, dir)).filter((f) => f.endsWith('.json')) : [];
    const expected = Object.fromEntries(files.map((f) => [f, readFileSync(join(repoRoot, dir, f), 'utf8')]));
    expect(cm.data ?? {}).toEqual(expected);
  });

  test('manifests/files is in sync (else run manifests/sync-files.sh)', () => {
    const r = spawnSync('bash', [join(manifestsDir, 'sync-files.sh'), '--check'], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  test('fit in a ConfigMap (1 MiB)', () => {
    for (const cm of find(install, 'ConfigMap')) expect(Buffer.byteLength(JSON.stringify(cm))).toBeLessThan(1024 * 1024);
  });
});

describe('component prometheus-operator', () => {
  const added = withOperator.filter((o) => o.apiVersion === 'monitoring.coreos.com/v1');

  test('adds a PodMonitor and a PrometheusRule in kube-system, and nothing else changes', () => {
    expect(added.map((o) => `${o.kind}/${o.metadata.namespace}`).sort()).toEqual(['PodMonitor/kube-system', 'PrometheusRule/kube-system']);
    expect(withOperator.filter((o) => o.apiVersion !== 'monitoring.coreos.com/v1')).toEqual(install);
  });

  test.each(added.map((o) => [o.kind, o] as const))('%s matches the Prometheus Operator schema', (_kind, o) => {
    expect(() => validateSchema(o)).not.toThrow();
  });

  test('the PodMonitor scrapes the port named metrics of the DaemonSet pods', () => {
    const pm = find(added, 'PodMonitor')[0] as KubeObject & { spec: { selector: { matchLabels: Record<string, string> }; podMetricsEndpoints: { port: string }[] } };
    const ds = find(install, 'DaemonSet')[0] as KubeObject & { spec: { template: { metadata: { labels: Record<string, string> }; spec: { containers: { ports: { name: string }[] }[] } } } };
    expect(ds.spec.template.metadata.labels).toEqual(expect.objectContaining(pm.spec.selector.matchLabels));
    expect(pm.spec.podMetricsEndpoints.map((e) => e.port)).toEqual(['metrics']);
    expect(ds.spec.template.spec.containers[0]?.ports.map((p) => p.name)).toContain('metrics');
  });

  test('promtool check rules accepts the alerts', () => {
    const rule = find(added, 'PrometheusRule')[0] as KubeObject & { spec: unknown };
    const dir = mkdtempSync(join(tmpdir(), 'npd-rules-'));
    try {
      const file = join(dir, 'rules.yaml');
      writeFileSync(file, dump(rule.spec));
      const out = execFileSync('promtool', ['check', 'rules', file], { encoding: 'utf8' });
      expect(out).toMatch(/SUCCESS: \d+ rules found/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test.each([
    ['kernel deadlock', 'problem_gauge{type="KernelDeadlock"}'],
    ['read-only filesystem', 'problem_gauge{type="ReadonlyFilesystem"}'],
    ['FD pressure', 'problem_gauge{type="FDPressure"}'],
    ['PID pressure', 'problem_gauge{type="NodePIDPressure"}'],
    ['NTP down', 'problem_gauge{type="NTPProblem"}'],
    ['repeated OOM kills', 'problem_counter{reason="OOMKilling"}'],
  ])('alerts on %s', (_name, selector) => {
    const rule = find(added, 'PrometheusRule')[0] as KubeObject & { spec: { groups: { rules: { alert: string; expr: string }[] }[] } };
    const exprs = rule.spec.groups.flatMap((g) => g.rules.map((r) => r.expr));
    expect(exprs.some((e) => e.includes(selector))).toBe(true);
  });
});
