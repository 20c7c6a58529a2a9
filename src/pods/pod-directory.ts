/**
 * Pod and container names from the kubelet's log directories, without the API:
 * - `<pods-log-dir>/<namespace>_<pod>_<uid>/<container>/…` (pod UID → namespace, name);
 * - `<containers-log-dir>/<pod>_<namespace>_<container>-<container-id>.log` (container ID → name).
 * Namespace, pod and container names are DNS labels/subdomains, which never contain `_`, so the
 * names split without ambiguity. Reads are synchronous and small (one directory listing); a UID
 * found once is remembered while its directory lasts.
 */
import { nodeFs } from '../core/node-builtins.js';
import { join } from 'node:path';

/** A pod as its log directory names it. */
export interface PodName {
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
}

/** Where the kubelet writes container logs (`--pods-log-dir`, `--containers-log-dir`). */
export interface PodDirectoryOptions {
  /** @default '/var/log/pods' */
  readonly podsLogDir: string;
  /** @default '/var/log/containers' */
  readonly containersLogDir: string;
}

/** The lookups. */
export interface PodDirectory {
  /** False when neither directory exists (not a kubelet node, or not mounted): attribution is off. */
  readonly enabled: boolean;
  /** The pod of a UID, or undefined when it has no directory (gone, or never logged). */
  pod(uid: string): PodName | undefined;
  /** The container name of a container ID, or undefined. */
  container(containerId: string): string | undefined;
  /** Whether the pod's directory exists now. */
  exists(uid: string): boolean;
}

const listing = (dir: string): string[] => {
  try {
    return nodeFs().readdirSync(dir);
  } catch {
    return [];
  }
};

/** Parses `<namespace>_<pod>_<uid>`. */
export function parsePodDirName(entry: string): PodName | undefined {
  const parts = entry.split('_');
  if (parts.length !== 3 || parts.some((p) => p === '')) return undefined;
  const [namespace, name, uid] = parts as [string, string, string];
  return { namespace, name, uid };
}

/** Parses `<pod>_<namespace>_<container>-<id>.log` into the container name and ID. */
export function parseContainerLogName(entry: string): { readonly container: string; readonly containerId: string } | undefined {
  const m = /^[^_]+_[^_]+_(.+)-([0-9a-f]{64})\.log$/.exec(entry);
  return m ? { container: m[1] as string, containerId: m[2] as string } : undefined;
}

/** Creates the lookups over the two directories. */
export function createPodDirectory(options: PodDirectoryOptions): PodDirectory {
  const { podsLogDir, containersLogDir } = options;
  const known = new Map<string, PodName>();
  const enabled = nodeFs().existsSync(podsLogDir) || nodeFs().existsSync(containersLogDir);

  const exists = (uid: string): boolean => {
    const p = known.get(uid);
    return p !== undefined ? nodeFs().existsSync(join(podsLogDir, `${p.namespace}_${p.name}_${uid}`)) : listing(podsLogDir).some((e) => e.endsWith(`_${uid}`));
  };

  return {
    enabled,
    pod(uid) {
      const cached = known.get(uid);
      if (cached && exists(uid)) return cached;
      known.delete(uid);
      const entry = listing(podsLogDir).find((e) => e.endsWith(`_${uid}`));
      const pod = entry === undefined ? undefined : parsePodDirName(entry);
      if (pod === undefined || pod.uid !== uid) return undefined;
      // One entry per pod on the node: bounded by the pods the kubelet runs.
      if (known.size >= 4096) known.delete(known.keys().next().value as string);
      known.set(uid, pod);
      return pod;
    },
    container(containerId) {
      const entry = listing(containersLogDir).find((e) => e.endsWith(`-${containerId}.log`));
      return entry === undefined ? undefined : parseContainerLogName(entry)?.container;
    },
    exists,
  };
}
