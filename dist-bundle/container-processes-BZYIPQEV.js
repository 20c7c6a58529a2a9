import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
import {
  cgroupOfProcess,
  createContainerProcesses,
  scanReuseMs
} from "./chunk-D4CIFBZN.js";
import "./chunk-SRGH6FON.js";
export {
  cgroupOfProcess,
  createContainerProcesses,
  scanReuseMs
};
