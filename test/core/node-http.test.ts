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

  test('node:net and node:crypto through src/core/node-builtins.ts load no BlockList and no Web Crypto; ESM imports of them do', () => {
    const lazy = ['internal/blocklist', 'internal/crypto/webcrypto'];
    const required = execFileSync(node, ['--input-type=module', '-e', `const b = await import(${JSON.stringify(join(repoRoot, 'dist/src/core/node-builtins.js'))}); b.nodeNet().isIP('::1'); b.nodeCrypto().createHash('sha256'); console.log(JSON.stringify(process.moduleLoadList))`], { encoding: 'utf8' });
    const loaded = JSON.parse(required) as string[];
    expect(loaded).toEqual(expect.arrayContaining(['NativeModule net', 'NativeModule crypto']));
    expect(lazy.filter((m) => loaded.includes(`NativeModule ${m}`))).toEqual([]);
    // If Node stops doing this, node-builtins.ts can go back to plain imports.
    const imported = execFileSync(node, ['--input-type=module', '-e', "await import('node:net'); await import('node:crypto'); console.log(JSON.stringify(process.moduleLoadList))"], { encoding: 'utf8' });
    expect(lazy.filter((m) => (JSON.parse(imported) as string[]).includes(`NativeModule ${m}`))).toEqual(lazy);
  });
});
