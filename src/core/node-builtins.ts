/**
 * `node:net` and `node:crypto`, loaded with `require` on first use, for the reason given in
 * node-http.ts: an ESM import of a built-in runs every export's lazy getter. `node:net`'s loads
 * its BlockList and SocketAddress modules, `node:crypto`'s the whole Web Crypto API; the agent
 * uses neither (measured on Node 24 with node:https loaded: 0.5–0.7 MiB RSS).
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** The `node:net` module. */
export const nodeNet = (): typeof import('node:net') => require('node:net') as typeof import('node:net');

/** The `node:crypto` module. */
export const nodeCrypto = (): typeof import('node:crypto') => require('node:crypto') as typeof import('node:crypto');
