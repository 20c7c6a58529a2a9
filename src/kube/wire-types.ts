/**
 * The JSON shapes on the wire, derived from @kubernetes/client-node's types (`import type` only: the
 * library itself is never loaded by the agent). The library's types carry `Date` for times because it
 * deserializes them; on the wire they are RFC 3339 strings.
 */
import type { CoreV1Event, V1Node, V1NodeCondition } from '@kubernetes/client-node';

/** `T` with every `Date` replaced by its JSON string. */
export type Wire<T> = T extends Date
  ? string
  : T extends readonly (infer U)[]
    ? Wire<U>[]
    : T extends object
      ? { [K in keyof T]: Wire<T[K]> }
      : T;

/** A core/v1 Event as JSON. */
export type WireEvent = Wire<CoreV1Event>;
/** A Node as JSON. */
export type WireNode = Wire<V1Node>;
/** A NodeCondition as JSON. */
export type WireNodeCondition = Wire<V1NodeCondition>;
