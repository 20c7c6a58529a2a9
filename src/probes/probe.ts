/**
 * The probe contract. A probe is one function of explicit inputs returning a {@link ProbeResult};
 * expected outcomes are returned, never thrown (docs/architecture.md, "Conventions"). The status
 * values are NPD's plugin protocol: exit 0 = ok, 1 = problem, anything else = unknown.
 */
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { Telemetry } from '../core/telemetry.js';
import type { PodSubject } from '../core/problem.js';
import type { PodDirectory } from '../pods/pod-directory.js';

/** Outcome of one check. */
export type ProbeStatus = 'ok' | 'problem' | 'unknown';

/** What a probe found. `message` carries the figures (`current fd is 840512 and max is 1048576, 80% used`). */
export interface ProbeResult {
  readonly status: ProbeStatus;
  readonly message: string;
  /** The measured ratio (0–1) for watermark probes, published as a gauge. */
  readonly ratio?: number;
  /** Why it is unknown (`NoData`, `PermissionDenied`, `Timeout` …), for logs. */
  readonly cause?: string;
  /** A problem of a temporary rule that concerns pods: the monitor also sends each Pod its event. */
  readonly podEvents?: readonly { readonly pod: PodSubject; readonly message: string }[];
}

/** What every probe may use; each probe takes only what it needs. */
export interface ProbeContext {
  /** Root of the host's procfs (`/proc`, or `/host/proc` in the DaemonSet). */
  readonly procRoot: string;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly telemetry: Telemetry;
  /** HTTP client (Node's fetch in production, anything in tests). */
  readonly fetch: typeof fetch;
  /** The /proc pass shared by the probes that scan processes; each probe makes its own if undefined. */
  readonly procTable?: ProcTableSource;
  /** Names pods from the kubelet's log directories; undefined when they are absent. */
  readonly pods?: PodDirectory | undefined;
}

/**
 * What the monitor knows before a check runs: whether the rule's condition is in this rule's
 * problem state now. After a restart that is the state carried over from the Node, which seeds a
 * watermark's hysteresis so a value between the clear and the problem line does not flip it.
 */
export interface CheckPrior {
  readonly problem: boolean;
}

/** A configured check, ready to run: the probe registry turns `{probe, options}` into one. */
export type Check = (signal: AbortSignal, prior?: CheckPrior) => Promise<ProbeResult>;

/** Builds a check from a rule's `options`; throws ConfigError naming the field for a bad option. */
export type ProbeFactory = (options: Readonly<Record<string, unknown>>, ctx: ProbeContext, where: { file: string; field: string }) => Check;

/** One thread: its id and scheduler state (`R`, `S`, `D`, `Z` …). */
export interface ProcTask {
  readonly tid: number;
  readonly state: string;
}

/** One process. */
export interface ProcEntry {
  readonly pid: number;
  readonly comm: string;
  /** Every thread, the main one (tid = pid) included. */
  readonly tasks: readonly ProcTask[];
}

/** A pass over `<proc>`, or why there was none. */
export type ProcTable = { readonly ok: true; readonly processes: readonly ProcEntry[] } | { readonly ok: false; readonly result: ProbeResult };

/** Hands out the current /proc table (`proc-table.ts`), shared by the process probes. */
export interface ProcTableSource {
  table(): Promise<ProcTable>;
}

/**
 * A built-in probe: the name a rule's `probe` field uses, and the factory that reads the rule's
 * options (defaults included) and returns its check. Each probe file exports one; `registry.ts`
 * only lists them.
 */
export interface ProbeDefinition<N extends string = string> {
  readonly name: N;
  readonly create: ProbeFactory;
}
