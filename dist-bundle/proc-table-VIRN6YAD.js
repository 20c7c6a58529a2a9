import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
import {
  createProcTableSource,
  listPids,
  parseStat,
  readProcTable
} from "./chunk-PJ6YGIJQ.js";
export {
  createProcTableSource,
  listPids,
  parseStat,
  readProcTable
};
