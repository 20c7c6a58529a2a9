/**
 * `npm run schemas`: writes config/schema/*.schema.json from the field tables of the monitor-file
 * format (src/config/monitor-format.ts). Run it after changing a table and commit the result.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { monitorSchemaFiles } from '../src/config/monitor-schema.js';

const dir = fileURLToPath(new URL('../../config/schema/', import.meta.url));
for (const { name, text } of monitorSchemaFiles()) {
  writeFileSync(join(dir, name), text);
  process.stdout.write(`wrote config/schema/${name}\n`);
}
