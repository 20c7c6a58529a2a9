import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);

// ../../../work/wt/footprint/dist/src/pods/cgroup-path.js
var podSegment = /^(?:kubepods(?:-(burstable|besteffort))?-)?pod([0-9a-f]{8}(?:[-_][0-9a-f]{4}){3}[-_][0-9a-f]{12}|[0-9a-f]{32})(?:\.slice)?$/;
var containerSegment = /^(?:([a-z][a-z-]*?)-)?([0-9a-f]{64})(?:\.scope)?$/;
function parsePodCgroup(path) {
  const parts = path.split("/");
  let root = parts.findIndex((p) => p === "kubepods" || p === "kubepods.slice");
  if (root < 0)
    root = parts.lastIndexOf("..");
  if (root < 0)
    return void 0;
  let qos = "guaranteed";
  for (let i = root + 1; i < parts.length; i++) {
    const part = parts[i];
    if (part === "burstable" || part === "besteffort") {
      qos = part;
      continue;
    }
    const q = /^kubepods-(burstable|besteffort)\.slice$/.exec(part);
    if (q) {
      qos = q[1];
      continue;
    }
    const pod = podSegment.exec(part);
    if (!pod)
      return void 0;
    if (pod[1])
      qos = pod[1];
    const podUid = pod[2].replaceAll("_", "-");
    const next = parts[i + 1];
    const container = next === void 0 || next === "" ? null : containerSegment.exec(next);
    if (container && container[1] !== void 0 && container[1].endsWith("conmon"))
      return { podUid, containerId: void 0, runtime: void 0, qos };
    return { podUid, containerId: container?.[2], runtime: container?.[1], qos };
  }
  return void 0;
}
function displayCgroup(path) {
  return path.replace(/^(?:\/\.\.)+/, "") || "/";
}

export {
  parsePodCgroup,
  displayCgroup
};
