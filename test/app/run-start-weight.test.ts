/**
 * Start-up: `npd run` binds `/healthz` and `/metrics` before it loads the agent (monitors, sources,
 * probes, configuration) and the Kubernetes exporter with its HTTPS client (README, Performance).
 * What importing the built run module loads, in a fresh Node process, is what runs before listening.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { node, nodeFlags, repoRoot, startCli } from '../helpers/cli.js';
import { freePort } from '../helpers/net.js';

/** Our modules (paths under dist/src) and the built-ins a fresh Node has loaded after importing `module`. */
function loadedAfterImport(module: string): { ours: string[]; builtins: string[] } {
  const dist = join(repoRoot, 'dist');
  const script = `
    import { registerHooks } from 'node:module';
    const ours = [];
    registerHooks({ load(url, context, next) { if (url.startsWith(${JSON.stringify(`file://${dist}/src/`)})) ours.push(url.slice(${`file://${dist}/src/`.length})); return next(url, context); } });
    await import(${JSON.stringify(join(dist, module))});
    console.log(JSON.stringify({ ours, builtins: process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13)) }));`;
  return JSON.parse(execFileSync(node, ['--input-type=module', '-e', script], { encoding: 'utf8' })) as { ours: string[]; builtins: string[] };
}

test('before listening, npd run has loaded the two servers, not the Prometheus exporter, the agent or the apiserver client', () => {
  const { ours, builtins } = loadedAfterImport('src/app/run.js');
  expect(ours).toEqual(expect.arrayContaining(['app/health-server.js', 'exporters/prometheus/metrics-server.js']));
  const later = ours.filter((m) => /^(app\/agent\.js|exporters\/prometheus\/prometheus-exporter\.js|exporters\/kubernetes\/|kube\/|sources\/|monitors\/|probes\/|config\/)/.test(m));
  expect(later).toEqual([]);
  expect(builtins.filter((m) => /^(https|tls|child_process|readline)$/.test(m))).toEqual([]);
});

/**
 * What the built CLI has loaded when `npd run` logs `serving` (both servers listen): a hook writes
 * each loaded URL to stderr, where the agent's own log follows in order (both write synchronously),
 * and, just before the `serving` record, every built-in Node has loaded (`BUILTIN name`), those
 * loaded inside Node (an ESM import's lazy getters) too.
 */
async function loadedBeforeServing(extra: readonly string[]): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'npd-start-'));
  const hook = join(dir, 'hook.mjs');
  // node:fs by require: an ESM import of it would load what the test looks for.
  writeFileSync(hook, `import { registerHooks, createRequire } from 'node:module'; const { writeSync } = createRequire(import.meta.url)('node:fs');
    registerHooks({ load(url, context, next) { writeSync(2, 'LOADED ' + url + '\\n'); return next(url, context); } });
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = (chunk, ...rest) => {
      if (String(chunk).includes('"msg":"serving"')) for (const m of process.moduleLoadList) if (m.startsWith('NativeModule ')) writeSync(2, 'BUILTIN ' + m.slice(13) + '\\n');
      return write(chunk, ...rest);
    };`);
  const [port, promPort] = [await freePort(), await freePort()];
  const args = ['run', '--standalone', '--no-reload', '--log-level=debug', `--state-dir=${dir}`, `--port=${port}`, `--prometheus-port=${promPort}`, ...extra];
  const agent = startCli(args, { flags: [...nodeFlags, '--import', hook] });
  try {
    await agent.waitFor((_, err) => err.includes('"msg":"serving"'), 20_000, 'the serving record');
  } finally {
    await agent.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const before = agent.stderr().slice(0, agent.stderr().indexOf('"msg":"serving"'));
  return before.split('\n').filter((l) => l.startsWith('LOADED ') || l.startsWith('BUILTIN ')).map((l) => l.replace(/^(LOADED|BUILTIN) /, ''));
}

test('npd run reads a plain command line without commander: it is not loaded before both servers listen', async () => {
  const loaded = await loadedBeforeServing([]);
  expect(loaded).toEqual(expect.arrayContaining([expect.stringMatching(/\/app\/run\.js$/), 'node:http']));
  expect(loaded.filter((u) => u.includes('/node_modules/commander/') || u === 'node:child_process')).toEqual([]);
});

test('before both servers listen, npd run has not loaded prom-client, fs.promises, readline, perf_hooks or the agent', async () => {
  const loaded = await loadedBeforeServing([]);
  // The hook sees what Node loads inside: http's own modules are there.
  expect(loaded).toEqual(expect.arrayContaining(['http', '_http_server']));
  // An ESM import of node:fs runs its lazy getters (fs.promises, with readline and the REPL's
  // history); the global \`performance\` loads perf_hooks; prom-client comes after listening.
  const heavy = /^(internal\/fs\/promises|fs\/promises|readline|internal\/readline\/interface|internal\/repl\/history|perf_hooks|internal\/perf\/performance)$|\/node_modules\/prom-client\/|\/app\/agent\.js$/;
  expect(loaded.filter((u) => heavy.test(u))).toEqual([]);
});

test('a command line left to commander (a trailing --) loads it before listening: the check above can fail', async () => {
  const loaded = await loadedBeforeServing(['--']);
  expect(loaded.filter((u) => u.includes('/node_modules/commander/'))).not.toEqual([]);
});
