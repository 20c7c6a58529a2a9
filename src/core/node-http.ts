/**
 * `node:http`, loaded with `require`. An ESM import of a built-in builds a namespace of every
 * export, which runs their lazy getters: `import … from 'node:http'` loads undici (for
 * `http.WebSocket`), and with it http2, zlib and web streams. Measured on Node 24, a process after
 * `import('node:http')` holds 59.4 MiB RSS and 97 more internal modules; after `require('node:http')`,
 * 46.4 MiB and 32.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** The `node:http` module. */
export const http = require('node:http') as typeof import('node:http');
