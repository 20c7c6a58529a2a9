import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);

// ../../../work/wt/footprint/dist/src/pods/pod-directory.js
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
var listing = (dir) => {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
};
function parsePodDirName(entry) {
  const parts = entry.split("_");
  if (parts.length !== 3 || parts.some((p) => p === ""))
    return void 0;
  const [namespace, name, uid] = parts;
  return { namespace, name, uid };
}
function parseContainerLogName(entry) {
  const m = /^[^_]+_[^_]+_(.+)-([0-9a-f]{64})\.log$/.exec(entry);
  return m ? { container: m[1], containerId: m[2] } : void 0;
}
function createPodDirectory(options) {
  const { podsLogDir, containersLogDir } = options;
  const known = /* @__PURE__ */ new Map();
  const enabled = existsSync(podsLogDir) || existsSync(containersLogDir);
  const exists = (uid) => {
    const p = known.get(uid);
    return p !== void 0 ? existsSync(join(podsLogDir, `${p.namespace}_${p.name}_${uid}`)) : listing(podsLogDir).some((e) => e.endsWith(`_${uid}`));
  };
  return {
    enabled,
    pod(uid) {
      const cached = known.get(uid);
      if (cached && exists(uid))
        return cached;
      known.delete(uid);
      const entry = listing(podsLogDir).find((e) => e.endsWith(`_${uid}`));
      const pod = entry === void 0 ? void 0 : parsePodDirName(entry);
      if (pod === void 0 || pod.uid !== uid)
        return void 0;
      if (known.size >= 4096)
        known.delete(known.keys().next().value);
      known.set(uid, pod);
      return pod;
    },
    container(containerId) {
      const entry = listing(containersLogDir).find((e) => e.endsWith(`-${containerId}.log`));
      return entry === void 0 ? void 0 : parseContainerLogName(entry)?.container;
    },
    exists
  };
}

export {
  createPodDirectory
};
