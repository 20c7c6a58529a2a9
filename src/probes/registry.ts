/**
 * The built-in probes by name: a list of imports (node_exporter keeps a collector, its flags and
 * its registration in one file; so does each probe here: its logic, its options with their
 * defaults, and its name, in one {@link ProbeDefinition}). To add a probe, write
 * `src/probes/<name>.ts` exporting one and add it to `builtInProbes`.
 */
import { ConfigError } from '../core/errors.js';
import { cgroupsProbe } from './cgroups.js';
import { conntrackProbe } from './conntrack.js';
import { dentryProbe } from './dentry.js';
import { fdProbe } from './fd.js';
import { inodesProbe } from './inodes.js';
import { instanceExpiryProbe } from './instance-expiry.js';
import { memfragProbe } from './memfrag.js';
import { memleakProbe } from './memleak.js';
import { ntpProbe } from './ntp.js';
import type { OptionsWhere } from './option-reader.js';
import { pidProbe } from './pid.js';
import type { ProbeFactory } from './probe.js';
import { processProbe } from './process.js';
import { csiHungProcessProbe, hungProcessProbe } from './hung-process.js';
import { publicNetworkProbe } from './public-network.js';
import { ramRoleProbe } from './ram-role.js';
import { runtimeProbe } from './runtime.js';

/** Every built-in probe, in the order error messages list them. */
export const builtInProbes = [
  fdProbe,
  pidProbe,
  inodesProbe,
  ntpProbe,
  publicNetworkProbe,
  ramRoleProbe,
  runtimeProbe,
  conntrackProbe,
  memleakProbe,
  cgroupsProbe,
  dentryProbe,
  memfragProbe,
  processProbe,
  hungProcessProbe,
  csiHungProcessProbe,
  instanceExpiryProbe,
] as const;

/** Name of a built-in probe. */
export type ProbeName = (typeof builtInProbes)[number]['name'];

/** Every built-in probe's factory, by the name a rule's `probe` field uses. */
export const probeRegistry = Object.fromEntries(builtInProbes.map((p) => [p.name, p.create])) as Readonly<Record<ProbeName, ProbeFactory>>;

/** The factory for `name`, or ConfigError listing the known names. */
export function probeFactory(name: string, where: OptionsWhere): ProbeFactory {
  if (Object.hasOwn(probeRegistry, name)) return probeRegistry[name as ProbeName];
  throw new ConfigError(where.file, where.field, `unknown probe ${JSON.stringify(name)} (known: ${Object.keys(probeRegistry).join(', ')})`);
}
