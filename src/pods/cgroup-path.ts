/**
 * A cgroup path → the pod and container it belongs to, for every layout the kubelet and the
 * runtimes create (pure: no I/O). The path may come from the kernel (`task_memcg=`, `Task in …`)
 * or from `/proc/<pid>/cgroup`, where a cgroup namespace shows it relative (`/../../kubepods…`):
 * the pod is found from the first `kubepods` component on, wherever it sits, or right after the climb.
 *
 * - cgroupfs driver: `/kubepods[/burstable|/besteffort]/pod<uid>/<container-id>`
 *   (CRI-O with cgroupfs names the container `crio-<id>`);
 * - systemd driver: `/kubepods.slice[/kubepods-<qos>.slice]/kubepods[-<qos>]-pod<uid_>.slice/
 *   <docker|cri-containerd|crio>-<id>.scope`, the UID with `_` for `-`;
 * - nested (kind, LXC, docker-in-docker): any prefix before `kubepods`.
 * Static pods have a 32-hex UID without dashes; both forms are accepted.
 */

/** Where a cgroup sits in the kubelet's hierarchy. */
export interface PodCgroup {
  /** The pod UID, with dashes as the API shows it. */
  readonly podUid: string;
  /** The container ID (64 hex); undefined for the pod's own cgroup. */
  readonly containerId: string | undefined;
  /** The runtime prefix of a systemd scope or CRI-O cgroupfs name (`docker`, `cri-containerd`, `crio`). */
  readonly runtime: string | undefined;
  /** `guaranteed`, `burstable` or `besteffort`. */
  readonly qos: 'guaranteed' | 'burstable' | 'besteffort';
}

const podSegment = /^(?:kubepods(?:-(burstable|besteffort))?-)?pod([0-9a-f]{8}(?:[-_][0-9a-f]{4}){3}[-_][0-9a-f]{12}|[0-9a-f]{32})(?:\.slice)?$/;
const containerSegment = /^(?:([a-z][a-z-]*?)-)?([0-9a-f]{64})(?:\.scope)?$/;

/**
 * The pod (and container) of a cgroup path, or undefined when the path is outside `kubepods`.
 * @example parsePodCgroup('/kubepods/burstable/pod4a0f…/ef80…') // { podUid: '4a0f…', containerId: 'ef80…', qos: 'burstable', … }
 */
export function parsePodCgroup(path: string): PodCgroup | undefined {
  const parts = path.split('/');
  let root = parts.findIndex((p) => p === 'kubepods' || p === 'kubepods.slice');
  // Seen from inside a cgroup namespace, the path climbs out of the reader's own cgroup and the
  // kubepods root may be above the climb: start right after the last `..`.
  if (root < 0) root = parts.lastIndexOf('..');
  if (root < 0) return undefined;
  let qos: PodCgroup['qos'] = 'guaranteed';
  for (let i = root + 1; i < parts.length; i++) {
    const part = parts[i] as string;
    if (part === 'burstable' || part === 'besteffort') {
      qos = part;
      continue;
    }
    const q = /^kubepods-(burstable|besteffort)\.slice$/.exec(part);
    if (q) {
      qos = q[1] as PodCgroup['qos'];
      continue;
    }
    const pod = podSegment.exec(part);
    if (!pod) return undefined;
    if (pod[1]) qos = pod[1] as PodCgroup['qos'];
    const podUid = (pod[2] as string).replaceAll('_', '-');
    const next = parts[i + 1];
    const container = next === undefined || next === '' ? null : containerSegment.exec(next);
    // A conmon scope (`crio-conmon-<id>.scope`) is the runtime's monitor, not the container.
    if (container && container[1] !== undefined && container[1].endsWith('conmon')) return { podUid, containerId: undefined, runtime: undefined, qos };
    return { podUid, containerId: container?.[2], runtime: container?.[1], qos };
  }
  return undefined;
}

/** The path without a leading cgroup-namespace climb (`/../..`), for messages. */
export function displayCgroup(path: string): string {
  return path.replace(/^(?:\/\.\.)+/, '') || '/';
}
