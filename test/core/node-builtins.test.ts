/** The built-ins loaded with `require` (src/core/node-builtins.ts) are the modules themselves. */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as v8 from 'node:v8';
import { nodeCrypto, nodeFs, nodeNet, nodeV8 } from '../../src/core/node-builtins.js';

test.each([
  ['node:net', nodeNet, net.isIP],
  ['node:crypto', nodeCrypto, crypto.createHash],
  ['node:fs', nodeFs, fs.readFileSync],
  ['node:v8', nodeV8, v8.setFlagsFromString],
] as const)('%s', (_name, load, fn) => {
  expect(Object.values(load())).toContain(fn);
});
