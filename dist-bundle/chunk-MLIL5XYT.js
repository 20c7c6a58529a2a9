import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);

// ../../../work/wt/footprint/dist/src/core/node-http.js
import { createRequire } from "node:module";
var require2 = createRequire(import.meta.url);
var http = require2("node:http");

export {
  http
};
