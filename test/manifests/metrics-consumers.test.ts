/**
 * What reads the metrics agrees with what the exporter exports: the Grafana dashboard, the
 * PrometheusRule alerts and the README's metrics table. A renamed metric fails here.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dump } from 'js-yaml';
import { createPrometheusExporter } from '../../src/exporters/prometheus/prometheus-exporter.js';
import { metricCatalog } from '../../src/exporters/prometheus/metric-catalog.js';
import { kustomizeWithComponents, manifestsDir, repoRoot, type KubeObject } from './kube-objects.js';

interface Panel {
  readonly title: string;
  readonly type: string;
  readonly targets?: readonly { readonly expr: string }[];
}
const dashboard = JSON.parse(readFileSync(join(manifestsDir, 'grafana/npd-ts-dashboard.json'), 'utf8')) as { uid: string; panels: Panel[] };
const dashboardExprs = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr));

const rule = kustomizeWithComponents(['components/prometheus-operator']).find((o) => o.kind === 'PrometheusRule') as KubeObject & {
  spec: { groups: { rules: { alert: string; expr: string }[] }[] };
};
const alertExprs = rule.spec.groups.flatMap((g) => g.rules.map((r) => r.expr));

/** Every metric family a running exporter has (ours and the Node.js process metrics). */
const exported = new Set(createPrometheusExporter().registry.getMetricsAsArray().map((m) => m.name));

/** The family of a series name: `x_bucket` of histogram `x` is `x`. */
function family(name: string): string {
  const base = name.replace(/_(bucket|sum|count)$/, '');
  return base !== name && exported.has(base) ? base : name;
}

/** Metric names used in PromQL. */
function metricsIn(expr: string): string[] {
  return [...expr.matchAll(/\b(problem_(?:counter|gauge)|npd_[a-z0-9_]+)\b/g)].map((m) => family(m[1] as string));
}

function promtoolCheck(groups: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'npd-promql-'));
  try {
    const file = join(dir, 'rules.yaml');
    writeFileSync(file, dump(groups));
    return execFileSync('promtool', ['check', 'rules', file], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('Grafana dashboard', () => {
  test('has panels with queries', () => {
    expect(dashboard.uid).toBe('npd-ts');
    expect(dashboardExprs.length).toBeGreaterThan(10);
  });

  test('queries only metrics the exporter exports', () => {
    const unknown = dashboardExprs.flatMap(metricsIn).filter((m) => !exported.has(m));
    expect(unknown).toEqual([]);
  });

  test('shows every metric of the catalog', () => {
    const used = new Set(dashboardExprs.flatMap(metricsIn));
    expect(metricCatalog.map((m) => m.name).filter((n) => !used.has(n))).toEqual([]);
  });

  test('every query is valid PromQL (promtool, Grafana variables substituted)', () => {
    const rules = dashboardExprs.map((expr, i) => ({ record: `dashboard:query_${i}`, expr: expr.replaceAll('$__rate_interval', '5m').replaceAll('$node', '.*') }));
    expect(promtoolCheck({ groups: [{ name: 'dashboard', rules }] })).toMatch(new RegExp(`SUCCESS: ${rules.length} rules found`));
  });
});

describe('alerts', () => {
  test('use only metrics the exporter exports', () => {
    expect(alertExprs.flatMap(metricsIn).filter((m) => !exported.has(m))).toEqual([]);
  });
});

describe('README metrics table', () => {
  const docs = [join(repoRoot, 'README.md')].filter(existsSync).map((f) => readFileSync(f, 'utf8')).join('\n');

  test.each(metricCatalog.map((m) => [m.name]))('documents %s', (name) => {
    expect(docs).toContain(`\`${name}\``);
  });
});
