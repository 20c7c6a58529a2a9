/**
 * `node:net`, `node:crypto`, `node:fs` and `node:v8`, loaded with `require` on first use, for the
 * reason given in node-http.ts: an ESM import of a built-in runs every export's lazy getter.
 * `node:net`'s loads its BlockList and SocketAddress modules, `node:crypto`'s the whole Web Crypto
 * API; the agent uses neither (measured on Node 24 with node:https loaded: 0.5–0.7 MiB RSS).
 * `node:fs`'s loads `fs.promises` with readline and the REPL's history, streams and watchers, and
 * `node:v8`'s its serializer and heap snapshot modules: the modules that run before the agent
 * listens take these two from here (start-up: README, Performance; docs/performance.md).
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** The `node:net` module. */
export const nodeNet = (): typeof import('node:net') => require('node:net') as typeof import('node:net');

/** The `node:crypto` module. */
export const nodeCrypto = (): typeof import('node:crypto') => require('node:crypto') as typeof import('node:crypto');

/** The `node:fs` module. */
export const nodeFs = (): typeof import('node:fs') => require('node:fs') as typeof import('node:fs');

/** The `node:v8` module. */
export const nodeV8 = (): typeof import('node:v8') => require('node:v8') as typeof import('node:v8');
