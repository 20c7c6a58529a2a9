import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
import {
  systemClock
} from "./chunk-S7FWY2NQ.js";
import {
  SourceError
} from "./chunk-JPM2ZRLH.js";

// ../../../work/wt/footprint/dist/src/sources/boot-time.js
import { readFile } from "node:fs/promises";
import { join } from "node:path";
function parseStatBtime(text) {
  const m = /^btime\s+(\d+)\s*$/m.exec(text);
  return m ? Number(m[1]) * 1e3 : void 0;
}
function parseUptimeSeconds(text) {
  const m = /^\s*(\d+(?:\.\d+)?)\s/.exec(`${text} `);
  return m ? Number(m[1]) : void 0;
}
async function readBootTimeMs(procRoot, clock = systemClock) {
  const errors = [];
  try {
    const btime = parseStatBtime(await readFile(join(procRoot, "stat"), "utf8"));
    if (btime !== void 0)
      return btime;
  } catch (err) {
    errors.push(err);
  }
  try {
    const up = parseUptimeSeconds(await readFile(join(procRoot, "uptime"), "utf8"));
    if (up !== void 0)
      return Math.round(clock.now() - up * 1e3);
  } catch (err) {
    errors.push(err);
  }
  throw new SourceError(`couldn't get boot time from ${procRoot}/stat or ${procRoot}/uptime`, { cause: errors[0] });
}
export {
  parseStatBtime,
  parseUptimeSeconds,
  readBootTimeMs
};
