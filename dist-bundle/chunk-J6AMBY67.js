import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
import {
  systemClock
} from "./chunk-S7FWY2NQ.js";

// ../../../work/wt/footprint/dist/src/core/logger.js
var rank = { debug: 10, info: 20, warn: 30, error: 40 };
function createLogger(options = {}, bindings = {}) {
  const min = rank[options.level ?? "info"];
  const now = options.now ?? systemClock.now;
  const write = options.write ?? ((r) => process.stderr.write(`${JSON.stringify(r)}
`));
  const log = (level) => (msg, fields) => {
    if (rank[level] < min)
      return;
    write({ time: new Date(now()).toISOString(), level, msg, ...bindings, ...fields });
  };
  return {
    debug: log("debug"),
    info: log("info"),
    warn: log("warn"),
    error: log("error"),
    child: (more) => createLogger(options, { ...bindings, ...more })
  };
}
var silentLogger = createLogger({ write: () => {
} });

export {
  createLogger,
  silentLogger
};
