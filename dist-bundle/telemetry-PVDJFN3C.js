import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
import {
  noopTelemetry
} from "./chunk-7POS7IP2.js";
export {
  noopTelemetry
};
