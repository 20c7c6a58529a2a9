/** The DaemonSet's contract: where it runs, what it may touch, how it is started and probed. */
import { kustomize, manifestsDir, type KubeObject } from './kube-objects.js';

interface Mount {
  name: string;
  mountPath: string;
  readOnly?: boolean;
}
interface Volume {
  name: string;
  hostPath?: { path: string; type?: string };
  configMap?: { name: string };
  emptyDir?: object;
}
interface Container {
  name: string;
  args: string[];
  env: { name: string; valueFrom?: { fieldRef?: { fieldPath: string } } }[];
  ports: { name: string; containerPort: number }[];
  volumeMounts: Mount[];
  securityContext: Record<string, unknown>;
  resources: { requests: Record<string, string>; limits: Record<string, string> };
  livenessProbe: { httpGet: { host?: string; path: string; port: number } };
  startupProbe?: { httpGet: { path: string; port: number } };
}
type DaemonSet = KubeObject & {
  spec: { template: { spec: { priorityClassName: string; tolerations: { operator: string; key?: string }[]; hostNetwork?: boolean; hostPID?: boolean; hostIPC?: boolean; volumes: Volume[]; containers: Container[] } } };
};

const objects = kustomize(manifestsDir);
const ds = objects.find((o) => o.kind === 'DaemonSet') as DaemonSet;
const pod = ds.spec.template.spec;
const container = pod.containers[0] as Container;
/** The host path behind a mount (a mount's `name` is its volume's name). */
const hostPathOf = (mount: Mount): string | undefined => pod.volumes.find((v) => v.name === mount.name)?.hostPath?.path;

/** MiB of a Kubernetes quantity like `100Mi`. */
function mebibytes(q: string): number {
  const m = /^(\d+)(Mi|Gi|M)$/.exec(q);
  if (!m) throw new Error(`unexpected quantity ${q}`);
  return Number(m[1]) * (m[2] === 'Gi' ? 1024 : m[2] === 'M' ? 0.95367 : 1);
}

describe('DaemonSet', () => {
  test('runs on every node: tolerates every taint, system-node-critical', () => {
    expect(pod.tolerations).toContainEqual({ operator: 'Exists' });
    expect(pod.priorityClassName).toBe('system-node-critical');
  });

  test('gets NODE_NAME from the downward API', () => {
    expect(container.env).toContainEqual({ name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } });
  });
  test('gets POD_NAME from the downward API (the stable name of its ownership record)', () => {
    expect(container.env).toContainEqual({ name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } });
  });

  test.each(['run', '--proc-path=/host/proc', '--prometheus-address=0.0.0.0', '--state-dir=/var/lib/npd-ts'])('passes %s', (arg) => {
    expect(container.args).toContain(arg);
  });

  test('mounts no sysfs and passes no --sys-path: no probe reads sysfs', () => {
    expect(container.args.filter((a) => a.startsWith('--sys-path'))).toEqual([]);
    expect(pod.volumes.filter((v) => v.hostPath?.path === '/sys')).toEqual([]);
  });

  test('runs the default profile from the ConfigMaps', () => {
    expect(container.args.join(' ')).toContain('--profile default');
    for (const [flag, cm] of [
      ['--monitors-dir', 'npd-ts-monitors'],
      ['--config-dir', 'npd-ts-config'],
    ] as const) {
      const dir = container.args.find((a) => a.startsWith(`${flag}=`))?.split('=')[1];
      const mount = container.volumeMounts.find((m) => m.mountPath === dir);
      expect(mount?.readOnly).toBe(true);
      expect(pod.volumes.find((v) => v.name === mount?.name)?.configMap?.name).toMatch(new RegExp(`^${cm}-`));
    }
  });

  test.each([
    ['/dev/kmsg', '/dev/kmsg'],
    ['/var/log', '/var/log'],
    ['/run/log/journal', '/run/log/journal'],
    ['/proc', '/host/proc'],
    ['/run', '/host/run'],
    ['/etc/localtime', '/etc/localtime'],
  ])('mounts the host %s at %s read-only', (hostPath, mountPath) => {
    const mount = container.volumeMounts.find((m) => m.mountPath === mountPath);
    expect(mount).toBeDefined();
    expect(hostPathOf(mount as Mount)).toBe(hostPath);
    expect(mount?.readOnly).toBe(true);
  });

  test('writes only to its state directory and /tmp', () => {
    const writable = container.volumeMounts.filter((m) => !m.readOnly).map((m) => m.mountPath);
    expect(writable.sort()).toEqual(['/tmp', '/var/lib/npd-ts']);
    expect(container.securityContext['readOnlyRootFilesystem']).toBe(true);
  });

  test('no host path is created except its own state dir and the volatile journal dir', () => {
    const creating = pod.volumes.filter((v) => v.hostPath?.type?.endsWith('OrCreate')).map((v) => v.hostPath?.path);
    expect(creating.sort()).toEqual(['/run/log/journal', '/var/lib/npd-ts']);
  });

  test('runs as root (host files are root-only), privileged only for /dev/kmsg, no host PID/IPC', () => {
    expect(container.securityContext['runAsUser']).toBe(0);
    expect(container.securityContext['privileged']).toBe(true);
    expect(pod.hostPID ?? false).toBe(false);
    expect(pod.hostIPC ?? false).toBe(false);
  });

  test('liveness and startup probes on /healthz port 20256, on the node loopback (hostNetwork)', () => {
    expect(pod.hostNetwork).toBe(true);
    expect(container.livenessProbe.httpGet).toEqual({ host: '127.0.0.1', path: '/healthz', port: 20256 });
    expect(container.startupProbe?.httpGet).toEqual(expect.objectContaining({ path: '/healthz', port: 20256 }));
    // /healthz stays on NPD's default 127.0.0.1: no --address=0.0.0.0.
    expect(container.args.some((a) => a.startsWith('--address='))).toBe(false);
  });

  test('exposes the metrics port 20257 named metrics', () => {
    expect(container.ports).toContainEqual(expect.objectContaining({ name: 'metrics', containerPort: 20257 }));
  });

  test('requests cover the measured idle RSS and the limit leaves headroom over the measured peak', () => {
    // bench/agent-footprint.ts: 74–81 MiB idle, 98–115 MiB peak while reading a 1M-line burst (README, Performance).
    const request = mebibytes(container.resources.requests['memory'] ?? '0Mi');
    const limit = mebibytes(container.resources.limits['memory'] ?? '0Mi');
    expect(request).toBeGreaterThanOrEqual(80);
    expect(limit).toBeGreaterThanOrEqual(Math.ceil(115 * 1.3));
    expect(limit).toBeLessThanOrEqual(256);
    expect(request).toBeLessThanOrEqual(limit);
    expect(container.resources.requests['cpu']).toBeDefined();
  });
});
