/**
 * The problem model, NPD's (pkg/types/types.go) with our field names, and the one place where
 * condition transitions are decided. Log monitors and probe monitors both use it, so they agree on
 * when a change is an event. Nothing here knows Kubernetes: conversion to API objects happens only in
 * `src/exporters/kubernetes/`.
 */

/** Event severity, as NPD's: `info` becomes a Normal event, `warn` a Warning event. */
export type Severity = 'info' | 'warn';

/** Status of a condition, the apiserver's strings. */
export type ConditionStatus = 'True' | 'False' | 'Unknown';

/** A Pod an event is about, as the kubelet's log directories name it (no API read). */
export interface PodSubject {
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
}

/** What limit an OOM kill hit: the container's, the pod's, or the node's memory. */
export type OomScope = 'container' | 'pod' | 'node';

/** Something that happened once on the node. */
export interface Event {
  readonly severity: Severity;
  /** When it happened (the log line's time, or the probe's). */
  readonly time: Date;
  readonly reason: string;
  readonly message: string;
  /** The event is about this Pod (its involvedObject, in its namespace) rather than the Node. */
  readonly pod?: PodSubject;
  /** An OOM kill attributed to a pod container: counted in `npd_pod_oom_kills_total`. */
  readonly oomKill?: { readonly container: string; readonly scope: OomScope };
}

/** A lasting state of the node, keyed by `type`. */
export interface Condition {
  readonly type: string;
  readonly status: ConditionStatus;
  /** When `status` last changed. */
  readonly transition: Date;
  readonly reason: string;
  readonly message: string;
}

/** What a monitor reports: new events, and the full current list of its conditions. */
export interface Status {
  /** The monitor's `source` (NPD's event source component, e.g. `kernel-monitor`). */
  readonly source: string;
  readonly events: readonly Event[];
  readonly conditions: readonly Condition[];
}

/** A condition's healthy state as a monitor file declares it (`conditions[]`). */
export interface ConditionDefault {
  readonly type: string;
  readonly reason: string;
  readonly message: string;
}

/** The evidence a monitor has about one condition at one moment. */
export interface Observation {
  readonly status: ConditionStatus;
  /** The problem reason when `status` is True; ignored otherwise (the default reason is used). */
  readonly reason: string;
  readonly message: string;
  readonly time: Date;
}

/** Options of {@link transition}. */
export interface TransitionOptions {
  /**
   * Also update (and emit an event) when only the message changed while True
   * (NPD's `enable_message_change_based_condition_update`).
   * @default false
   */
  readonly messageChangeUpdates?: boolean;
}

/** The condition's healthy state at `time`: status False with its default reason and message. */
export function defaultCondition(def: ConditionDefault, time: Date): Condition {
  return { type: def.type, status: 'False', transition: time, reason: def.reason, message: def.message };
}

/**
 * Decides the next state of a condition given new evidence (NPD's custom-plugin rules, which the log
 * monitor's permanent rules are a case of):
 * - →True sets the problem reason and message; True→True changes only if the reason changes (or the
 *   message, with `messageChangeUpdates`);
 * - →False returns to the default reason and message; →Unknown keeps the default reason with the
 *   evidence's message;
 * - every change is returned with an event; no change returns `event: undefined`.
 *
 * Differs from NPD: a condition turning True is a Warning event, not Normal (operators alerting on
 * Warning events never saw problems start; ACK fixed this on a branch).
 */
export function transition(
  current: Condition,
  def: ConditionDefault,
  obs: Observation,
  options: TransitionOptions = {},
): { readonly condition: Condition; readonly event: Event | undefined } {
  let next: Condition;
  if (obs.status === 'True') {
    if (current.status === 'True' && current.reason === obs.reason) {
      if (!options.messageChangeUpdates || current.message === obs.message) return { condition: current, event: undefined };
      next = { ...current, message: obs.message };
    } else {
      next = { type: current.type, status: 'True', transition: obs.time, reason: obs.reason, message: obs.message };
    }
  } else {
    const message = obs.status === 'False' ? def.message : obs.message;
    if (current.status === obs.status && current.reason === def.reason) {
      if (!(options.messageChangeUpdates && obs.status === 'Unknown' && current.message !== message)) {
        return { condition: current, event: undefined };
      }
    }
    next = {
      type: current.type,
      status: obs.status,
      transition: current.status === obs.status ? current.transition : obs.time,
      reason: def.reason,
      message,
    };
  }
  return { condition: next, event: conditionChangeEvent(next, obs.time) };
}

/** The event NPD emits for a condition change (`Node condition X is now: S, reason: R, message: "M"`). */
export function conditionChangeEvent(c: Condition, time: Date): Event {
  return {
    severity: c.status === 'True' ? 'warn' : 'info',
    time,
    reason: c.reason,
    message: `Node condition ${c.type} is now: ${c.status}, reason: ${c.reason}, message: ${JSON.stringify(c.message)}`,
  };
}

/** A problem a monitor can report: a reason, and the condition it sets when permanent. */
export interface ProblemDescription {
  readonly reason: string;
  /** The condition type a permanent rule sets; undefined for temporary (event-only) rules. */
  readonly condition: string | undefined;
}

/**
 * What exporters need to know about a monitor before it reports anything: its source, the
 * conditions it owns and every reason it can produce (so metrics start at 0 and conditions a monitor
 * no longer owns can be removed from the Node).
 */
export interface MonitorDescription {
  readonly source: string;
  /** The monitor file it came from. */
  readonly file: string;
  readonly conditions: readonly ConditionDefault[];
  readonly problems: readonly ProblemDescription[];
  /** NPD's `metricsReporting`: whether problem_counter/problem_gauge count this monitor. */
  readonly metricsReporting: boolean;
}
