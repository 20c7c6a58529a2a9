/**
 * Start-up: `npd run` binds `/healthz` and `/metrics` before it loads the agent (monitors, sources,
 * probes, configuration) and the Kubernetes exporter with its HTTPS client (README, Performance).
 * What importing the built run module loads, in a fresh Node process, is what runs before listening.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { node, repoRoot } from '../helpers/cli.js';

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

test('before listening, npd run has loaded the two servers and the Prometheus exporter, not the agent or the apiserver client', () => {
  const { ours, builtins } = loadedAfterImport('src/app/run.js');
  expect(ours).toEqual(expect.arrayContaining(['app/health-server.js', 'exporters/prometheus/prometheus-exporter.js']));
  const later = ours.filter((m) => /^(app\/agent\.js|exporters\/kubernetes\/|kube\/|sources\/|monitors\/|probes\/|config\/)/.test(m));
  expect(later).toEqual([]);
  expect(builtins.filter((m) => /^(https|tls|child_process|readline)$/.test(m))).toEqual([]);
});
