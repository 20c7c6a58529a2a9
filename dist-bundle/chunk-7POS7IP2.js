import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);

// ../../../work/wt/footprint/dist/src/core/telemetry.js
var noopTelemetry = {
  linesRead() {
  },
  linesSkipped() {
  },
  sourceRestart() {
  },
  sourceState() {
  },
  sourceRemoved() {
  },
  eventLoopLag() {
  },
  fileRotation() {
  },
  fileSkip() {
  },
  kmsgRecordsLost() {
  },
  ruleEvaluation() {
  },
  apiRequest() {
  },
  eventDropped() {
  },
  probeRun() {
  },
  watermark() {
  },
  configReload() {
  }
};

export {
  noopTelemetry
};
