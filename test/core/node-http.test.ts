/**
 * What the agent loads at start: the built modules of `npd run` must not pull in undici (fetch,
 * WebSocket), http2 or zlib, which an ESM import of `node:http` does (13 MiB RSS on Node 24; see
 * src/core/node-http.ts) and which only the cloud metadata probes and a runtime socket need.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { node, repoRoot } from '../helpers/cli.js';

/** The built-in modules a fresh Node process has loaded after importing `modules` (built, from dist/). */
function builtinsAfterImport(modules: readonly string[]): string[] {
  const imports = modules.map((m) => `await import(${JSON.stringify(join(repoRoot, 'dist', m))});`).join('');
  const out = execFileSync(node, ['--input-type=module', '-e', `${imports} console.log(JSON.stringify(process.moduleLoadList));`], { encoding: 'utf8' });
  return (JSON.parse(out) as string[]).filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice('NativeModule '.length));
}

describe('start-up weight of npd run', () => {
  test('the run command, the agent and both HTTP servers load no undici, http2, zlib or cluster (the prom-client entry point)', () => {
    const loaded = builtinsAfterImport(['src/app/run.js', 'src/app/health-server.js', 'src/exporters/prometheus/metrics-server.js']);
    expect(loaded).toContain('http'); // the servers are there…
    expect(loaded.filter((m) => /undici|^http2$|^zlib$/.test(m))).toEqual([]); // …without what fetch and WebSocket need
  });

  test('src/core/node-http.ts is what keeps them out: an ESM import of node:http loads undici', () => {
    const out = execFileSync(node, ['--input-type=module', '-e', "await import('node:http'); console.log(process.moduleLoadList.some((m) => m.includes('undici')))"], { encoding: 'utf8' });
    // If Node stops doing this, node-http.ts can go back to a plain import.
    expect(out.trim()).toBe('true');
  });
});
