import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
import {
  createRuleCheck,
  limitCheck,
  ruleLabel
} from "./chunk-OC3SF7J5.js";
import "./chunk-BZMQKQPO.js";
import "./chunk-MLIL5XYT.js";
import "./chunk-S7FWY2NQ.js";
import "./chunk-JPM2ZRLH.js";
import "./chunk-PJ6YGIJQ.js";
import "./chunk-D4CIFBZN.js";
import "./chunk-SRGH6FON.js";
export {
  createRuleCheck,
  limitCheck,
  ruleLabel
};
