import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
import {
  resolveMonitorFiles
} from "./chunk-K7CDSUTY.js";
import "./chunk-XA2EV36Q.js";
import "./chunk-JPM2ZRLH.js";
export {
  resolveMonitorFiles
};
