/**
 * Runs every benchmark in bench/ (compiled to dist/bench/), one process each, in name order, so
 * `npm run bench` prints every table. A benchmark that fails is reported and the rest still run.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const self = basename(fileURLToPath(import.meta.url));
const benches = readdirSync(here)
  .filter((f) => f.endsWith('.js') && f !== self)
  .sort();
let failed = 0;
for (const b of benches) {
  console.log(`\n=== ${b}`);
  const r = spawnSync(process.execPath, ['--enable-experimental-regexp-engine-on-excessive-backtracks', join(here, b)], { stdio: 'inherit' });
  if (r.status !== 0) {
    failed++;
    console.log(`${b} failed (exit ${r.status ?? r.signal})`);
  }
}
process.exitCode = failed > 0 ? 1 : 0;
