import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
import {
  parseMonitorConfig,
  readMonitorFile,
  validateFiles
} from "./chunk-KQPGU6XH.js";
import "./chunk-ZRCJ5HBB.js";
import "./chunk-XA2EV36Q.js";
import "./chunk-S7FWY2NQ.js";
import "./chunk-JPM2ZRLH.js";
export {
  parseMonitorConfig,
  readMonitorFile,
  validateFiles
};
