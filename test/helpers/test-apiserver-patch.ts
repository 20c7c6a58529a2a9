/**
 * Patch semantics of kube-apiserver, for the test apiserver:
 * - JSON merge patch (RFC 7386, `application/merge-patch+json`): maps merge, `null` deletes, lists
 *   are replaced whole (so a merge patch of status.conditions drops kubelet's conditions, as the
 *   real one does);
 * - strategic merge patch (`application/strategic-merge-patch+json`): maps merge; lists whose Go
 *   field has `patchStrategy:"merge"` merge by their `patchMergeKey` (element maps merged
 *   recursively, `{"$patch":"delete", key}` removes the element, `$setElementOrder/<list>` is
 *   accepted and ignored here); other lists are replaced; `{"$patch":"replace"}` in a map replaces
 *   it; `{"$patch":"delete"}` deletes it. Unknown `$` directives are rejected (400), as apiserver does.
 */

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Paths (dot-joined, list indices dropped) of lists merged by key, with the key; from k8s.io/api. */
export const mergeKeys: Readonly<Record<string, string>> = {
  'status.conditions': 'type',
  'status.addresses': 'type',
  'status.images': '', // atomic in practice: replaced
  'spec.taints': 'key',
  'metadata.ownerReferences': 'uid',
  'metadata.finalizers': '',
};

/** A patch the server cannot apply: answered 400 (or 422) with `message`. */
export class PatchError extends Error {}

/** RFC 7386 JSON merge patch. */
export function jsonMergePatch(target: Json | undefined, patch: Json): Json {
  if (!isObj(patch)) return structuredClone(patch);
  const out: Obj = isObj(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = jsonMergePatch(out[k], v);
  }
  return out;
}

function mergeList(path: string, target: Json[] | undefined, patch: Json[]): Json[] {
  const key = mergeKeys[path];
  if (!key) {
    if (patch.some((e) => isObj(e) && '$patch' in e)) throw new PatchError(`$patch in a list without a merge key at ${path}`);
    return structuredClone(patch);
  }
  const out: Json[] = structuredClone(target ?? []);
  for (const el of patch) {
    if (!isObj(el)) throw new PatchError(`${path}: list element is not an object`);
    const id = el[key];
    if (id === undefined) throw new PatchError(`${path}: element has no merge key "${key}"`);
    const at = out.findIndex((o) => isObj(o) && o[key] === id);
    const directive = el['$patch'];
    if (directive === 'delete') {
      if (at >= 0) out.splice(at, 1);
      continue;
    }
    if (directive !== undefined && directive !== 'merge') throw new PatchError(`${path}: unknown $patch "${String(directive)}"`);
    const { $patch: _p, ...rest } = el;
    if (at >= 0) out[at] = strategicMergePatch(out[at], rest, path);
    else out.push(strategicMergePatch(undefined, rest, path));
  }
  return out;
}

/** Strategic merge patch of `target` with `patch`; `path` is where we are (for merge keys). */
export function strategicMergePatch(target: Json | undefined, patch: Json, path = ''): Json {
  if (!isObj(patch)) return structuredClone(patch);
  const directive = patch['$patch'];
  if (directive === 'replace') {
    const { $patch: _p, ...rest } = patch;
    return structuredClone(rest);
  }
  if (directive === 'delete') return null;
  if (directive !== undefined) throw new PatchError(`unknown $patch "${String(directive)}" at ${path || '.'}`);
  const out: Obj = isObj(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith('$setElementOrder/')) continue;
    if (k.startsWith('$')) throw new PatchError(`unsupported directive ${k} at ${path || '.'}`);
    const p = path ? `${path}.${k}` : k;
    if (v === null) delete out[k];
    else if (Array.isArray(v)) out[k] = mergeList(p, Array.isArray(out[k]) ? (out[k] as Json[]) : undefined, v);
    else if (isObj(v)) {
      const merged = strategicMergePatch(out[k], v, p);
      if (merged === null) delete out[k];
      else out[k] = merged;
    } else out[k] = v;
  }
  return out;
}
