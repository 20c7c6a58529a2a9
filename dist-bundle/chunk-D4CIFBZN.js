import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
import {
  parsePodCgroup
} from "./chunk-SRGH6FON.js";

// ../../../work/wt/footprint/dist/src/pods/container-processes.js
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
var scanReuseMs = 1e3;
function cgroupOfProcess(text) {
  let v1;
  for (const line of text.split("\n")) {
    const first = line.indexOf(":");
    const second = line.indexOf(":", first + 1);
    if (first < 0 || second < 0)
      continue;
    const controllers = line.slice(first + 1, second);
    const path = line.slice(second + 1);
    if (line.startsWith("0::") && path !== "/")
      return path;
    if (controllers.split(",").includes("memory"))
      v1 = path;
  }
  return v1;
}
function createContainerProcesses(procRoot, clock) {
  let scan;
  const key = (podUid, containerId) => `${podUid}/${containerId ?? ""}`;
  const rescan = () => {
    let entries;
    try {
      entries = readdirSync(procRoot);
    } catch {
      return void 0;
    }
    const byKey = /* @__PURE__ */ new Map();
    for (const e of entries) {
      if (!/^\d+$/.test(e))
        continue;
      let text;
      try {
        text = readFileSync(join(procRoot, e, "cgroup"), "utf8");
      } catch {
        continue;
      }
      const path = cgroupOfProcess(text);
      const pod = path === void 0 ? void 0 : parsePodCgroup(path);
      if (!pod)
        continue;
      for (const k of [key(pod.podUid, pod.containerId), key(pod.podUid, void 0)]) {
        const list = byKey.get(k);
        if (list)
          list.push(Number(e));
        else
          byKey.set(k, [Number(e)]);
      }
    }
    return byKey;
  };
  return {
    others(podUid, containerId, exceptPid) {
      const now = clock.now();
      if (scan === void 0 || now - scan.at >= scanReuseMs) {
        const byKey = rescan();
        if (byKey === void 0)
          return void 0;
        scan = { at: now, byKey };
      }
      return (scan.byKey.get(key(podUid, containerId)) ?? []).filter((p) => p !== exceptPid).length;
    }
  };
}

export {
  scanReuseMs,
  cgroupOfProcess,
  createContainerProcesses
};
