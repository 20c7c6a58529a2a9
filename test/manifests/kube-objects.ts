/**
 * Offline checks of Kubernetes objects for the manifest tests: `kubectl kustomize` output parsed
 * into objects, schema validation with kubernetes-models (types, required fields, formats), and an
 * unknown-field check (kubernetes-models' schemas accept extra fields, so a typo such as
 * `securityContxt` would pass them; the apiserver would drop it, or reject it with strict field
 * validation). Field lists come from @kubernetes/client-node's generated models.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as k8s from '@kubernetes/client-node';
import { loadAll } from 'js-yaml';
import * as apps from 'kubernetes-models/apps/v1';
import * as core from 'kubernetes-models/v1';
import * as rbac from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import * as monitoring from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const manifestsDir = join(repoRoot, 'manifests');

/** A Kubernetes object as parsed. */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly labels?: Record<string, string> };
  readonly [field: string]: unknown;
}

/** `kubectl kustomize DIR`, parsed. */
export function kustomize(dir: string): KubeObject[] {
  const out = execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return (loadAll(out) as (KubeObject | null)[]).filter((o): o is KubeObject => o !== null);
}

/** The default install plus `components`, built through a temporary overlay (as a user would). */
export function kustomizeWithComponents(components: readonly string[]): KubeObject[] {
  const dir = mkdtempSync(join(tmpdir(), 'npd-overlay-'));
  try {
    const rel = (p: string): string => relative(dir, p);
    writeFileSync(
      join(dir, 'kustomization.yaml'),
      ['apiVersion: kustomize.config.k8s.io/v1beta1', 'kind: Kustomization', `resources: [${rel(manifestsDir)}]`, `components: [${components.map((c) => rel(join(manifestsDir, c))).join(', ')}]`, ''].join('\n'),
    );
    return kustomize(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Validatable {
  validate(): void;
}
type ModelClass = new (data: never) => Validatable;

const models: Record<string, ModelClass> = {
  'v1/ServiceAccount': core.ServiceAccount,
  'v1/ConfigMap': core.ConfigMap,
  'v1/Service': core.Service,
  'apps/v1/DaemonSet': apps.DaemonSet,
  'rbac.authorization.k8s.io/v1/ClusterRole': rbac.ClusterRole,
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': rbac.ClusterRoleBinding,
  'monitoring.coreos.com/v1/PodMonitor': monitoring.PodMonitor,
  'monitoring.coreos.com/v1/PrometheusRule': monitoring.PrometheusRule,
};

/** Validates against the Kubernetes (or Prometheus Operator) schema; throws with the schema's errors. */
export function validateSchema(o: KubeObject): void {
  const Model = models[`${o.apiVersion}/${o.kind}`];
  if (!Model) throw new Error(`no schema for ${o.apiVersion} ${o.kind}`);
  new Model(o as never).validate();
}

interface Attribute {
  readonly baseName: string;
  readonly type: string;
}
type ModelWithAttributes = { getAttributeTypeMap(): Attribute[] };

/** Client-node model name of an object's kind (`apps/v1` DaemonSet → V1DaemonSet). */
function modelName(apiVersion: string): (kind: string) => string {
  const version = apiVersion.split('/').pop() ?? '';
  return (kind) => `${version.charAt(0).toUpperCase()}${version.slice(1)}${kind}`;
}

/** Paths of fields no Kubernetes model declares (core and apps objects only). */
export function unknownFields(o: KubeObject): string[] {
  const found: string[] = [];
  const walk = (value: unknown, type: string, path: string): void => {
    if (value === null || value === undefined) return;
    const array = /^Array<(.+)>$/.exec(type);
    if (array) {
      if (Array.isArray(value)) value.forEach((v, i) => walk(v, array[1] as string, `${path}[${i}]`));
      return;
    }
    const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
    if (map) {
      for (const [key, v] of Object.entries(value as object)) walk(v, map[1] as string, `${path}.${key}`);
      return;
    }
    const model = (k8s as unknown as Record<string, ModelWithAttributes | undefined>)[type];
    if (!model || typeof model.getAttributeTypeMap !== 'function' || typeof value !== 'object') return;
    const attributes = new Map(model.getAttributeTypeMap().map((a) => [a.baseName, a.type]));
    for (const [key, v] of Object.entries(value as object)) {
      const t = attributes.get(key);
      if (t === undefined) found.push(`${path}.${key}`);
      else walk(v, t, `${path}.${key}`);
    }
  };
  walk(o, modelName(o.apiVersion)(o.kind), o.kind);
  return found;
}
