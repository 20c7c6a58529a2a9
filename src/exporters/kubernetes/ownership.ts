/**
 * Which agent owns which condition types on a Node, so that two agents on one node (a rollout's
 * old and new pod, a second DaemonSet) never delete each other's conditions. Each agent instance
 * keeps its own record, one Node annotation `npd-ts.io/owned-conditions.<instance>` =
 * `Type1,Type2;<heartbeat time>`, written in the same status PATCH as its conditions, so it costs no
 * request. An agent deletes a type from the Node only if it owned it itself, or if it was owned by a
 * record that is over — retired (`;retired`, written at a clean shutdown) or not refreshed for three
 * heartbeat periods (at least 15 min: a crashed agent) — and no live record claims it. It then
 * removes the record that is over. So a restart with a monitor dropped deletes the dropped types at
 * once (the old instance retired at shutdown; NPD #423), a crash deletes them within 15 min, and a
 * live agent's types are never touched. The annotation without an instance (written by earlier
 * versions, one per Node) is read as a retired record.
 */
import { nodeCrypto } from '../../core/node-builtins.js';
import { formatTime } from './event-correlator.js';
import type { WireNode } from '../../kube/wire-types.js';

/** Prefix of the ownership records (and the whole key of the earlier, single record). */
export const ownedConditionsAnnotation = 'npd-ts.io/owned-conditions';

/** A record over for this long is dead, whatever heartbeat its writer used. */
export const minDeadAfterMs = 15 * 60_000;

/** One agent instance's record on a Node. */
export interface OwnershipRecord {
  /** The annotation key. */
  readonly key: string;
  readonly types: readonly string[];
  /** Its writer's last sync (ms), or undefined when retired. */
  readonly at: number | undefined;
}

/** The longest instance name: an annotation key's name part (`owned-conditions.<instance>`) holds 63 characters. */
const maxInstanceLength = 63 - 'owned-conditions.'.length;

/**
 * This agent's instance name in its ownership record: the pod's name (`$POD_NAME`, from the
 * downward API in manifests/daemonset.yaml), so a container restarted in the same pod after a crash
 * takes its record back and deletes a type dropped meanwhile at once, not after 15 min. Not the
 * hostname: under `hostNetwork` every pod on a node has the node's. A name that cannot end an
 * annotation key (too long, or characters other than alphanumerics, `-`, `_`, `.`) is replaced by
 * 16 hex digits of its SHA-256, stable too. Without a pod name, 8 random hex digits: a record per process.
 */
export function ownershipInstance(podName: string | undefined, random: () => number): string {
  if (podName === undefined || podName === '') return Math.floor(random() * 2 ** 32).toString(16).padStart(8, '0');
  if (podName.length <= maxInstanceLength && /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(podName)) return podName;
  return nodeCrypto().createHash('sha256').update(podName).digest('hex').slice(0, 16);
}

/** The annotation key of `instance`'s record. */
export const recordKey = (instance: string): string => `${ownedConditionsAnnotation}.${instance}`;

/** A record's value: the types, then the sync time or `retired`. */
export const recordValue = (types: readonly string[], at: number | 'retired'): string =>
  `${types.join(',')};${at === 'retired' ? 'retired' : formatTime(at)}`;

/** Every ownership record on `node`. */
export function parseRecords(node: WireNode): OwnershipRecord[] {
  const out: OwnershipRecord[] = [];
  for (const [key, value] of Object.entries(node.metadata?.annotations ?? {})) {
    if (key !== ownedConditionsAnnotation && !key.startsWith(`${ownedConditionsAnnotation}.`)) continue;
    const cut = value.lastIndexOf(';');
    const list = cut >= 0 ? value.slice(0, cut) : value;
    const stamp = cut >= 0 ? Date.parse(value.slice(cut + 1)) : NaN;
    const types = list.split(',').map((s) => s.trim()).filter((s) => s !== '');
    out.push({ key, types, at: key === ownedConditionsAnnotation || Number.isNaN(stamp) ? undefined : stamp });
  }
  return out;
}

/** What one agent may do with the other records on its Node. */
export interface OwnershipView {
  /** Types claimed by live records of other agents: never deleted, whatever else says so. */
  readonly claimed: ReadonlySet<string>;
  /** Types of records that are over and that no live record claims: to delete. */
  readonly orphaned: readonly string[];
  /** Keys of records that are over: to remove. */
  readonly over: readonly string[];
}

/** Sorts the records of `node` other than `ownKey` into live and over, at `now`. */
export function viewOwnership(records: readonly OwnershipRecord[], ownKey: string, now: number, heartbeatMs: number): OwnershipView {
  const deadAfter = Math.max(minDeadAfterMs, 3 * heartbeatMs);
  const others = records.filter((r) => r.key !== ownKey);
  const live = others.filter((r) => r.at !== undefined && now - r.at < deadAfter);
  const over = others.filter((r) => !live.includes(r));
  const claimed = new Set(live.flatMap((r) => r.types));
  return {
    claimed,
    orphaned: [...new Set(over.flatMap((r) => r.types))].filter((t) => !claimed.has(t)).sort(),
    over: over.map((r) => r.key).sort(),
  };
}
