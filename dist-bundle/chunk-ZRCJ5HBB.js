import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);

// ../../../work/wt/footprint/dist/src/re2/linear-engine.js
import v8 from "node:v8";
function enableLinearRegexpEngine() {
  v8.setFlagsFromString("--enable-experimental-regexp-engine");
  v8.setFlagsFromString("--enable-experimental-regexp-engine-on-excessive-backtracks");
}
function linearEngineEnabled() {
  try {
    new RegExp("", "l");
    return true;
  } catch {
    return false;
  }
}

export {
  enableLinearRegexpEngine,
  linearEngineEnabled
};
