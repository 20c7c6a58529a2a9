/**
 * The Dockerfile cannot be built here (no Docker engine), so its contract is read: stages, what is
 * copied (and not ignored by .dockerignore), the entrypoint, journalctl, and the runtime socket links
 * matching the socket paths of monitors/runtime-monitor.json.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { node, nodeFlags, repoRoot } from '../helpers/cli.js';

const text = readFileSync(join(repoRoot, 'Dockerfile'), 'utf8').replace(/\\\n/g, ' ');
const lines = text.split('\n').filter((l) => l.trim() !== '' && !l.trimStart().startsWith('#'));
const instructions = lines.map((l) => {
  const [op = '', ...rest] = l.trim().split(/\s+/);
  return { op: op.toUpperCase(), args: rest.join(' ') };
});
const ignored = readFileSync(join(repoRoot, '.dockerignore'), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '' && !l.startsWith('#'));
const stages = instructions.filter((i) => i.op === 'FROM').map((i) => i.args);
const finalStage = instructions.slice(instructions.findLastIndex((i) => i.op === 'FROM'));

describe('Dockerfile', () => {
  test('builds on node:24 and runs on node:24-slim', () => {
    expect(stages[0]).toMatch(/^node:24 AS build$/);
    expect(stages.at(-1)).toBe('node:24-slim');
  });

  test('compiles with dev dependencies, ships production dependencies only', () => {
    expect(text).toMatch(/npm ci --no-audit/);
    expect(text).toMatch(/npm run build/);
    expect(text).toMatch(/npm ci --omit=dev/);
    expect(finalStage.filter((i) => i.op === 'COPY' && i.args.includes('node_modules')).map((i) => i.args)).toEqual(['--from=deps /app/node_modules ./node_modules']);
  });

  test('has journalctl in the final image (systemd package)', () => {
    expect(finalStage.some((i) => i.op === 'RUN' && /apt-get install -y --no-install-recommends systemd\b/.test(i.args))).toBe(true);
  });

  const copied = new Set(instructions.filter((i) => i.op === 'COPY' && !i.args.startsWith('--from')).flatMap((i) => i.args.split(/\s+/).slice(0, -1)));
  test.each([...copied].map((src) => [src]))(
    'copies %s, which exists and is not in .dockerignore',
    (src) => {
      expect(existsSync(join(repoRoot, src))).toBe(true);
      expect(ignored).not.toContain(src);
    },
  );

  test('has tini in the final image, to reap orphaned plugin descendants as PID 1', () => {
    expect(finalStage.some((i) => i.op === 'RUN' && /apt-get install -y --no-install-recommends [^&]*\btini\b/.test(i.args))).toBe(true);
  });

  test('runs the CLI under tini, with the inspector signal off and the linear-time regexp fallback, default `run --profile default`', () => {
    const entrypoint = JSON.parse(finalStage.find((i) => i.op === 'ENTRYPOINT')?.args ?? '[]') as string[];
    expect(entrypoint).toEqual(['tini', '--', 'node', ...nodeFlags, 'dist/src/app/npd.js']);
    expect(finalStage.find((i) => i.op === 'CMD')?.args).toBe('["run", "--profile", "default"]');
    expect(existsSync(join(repoRoot, 'src/app/npd.ts'))).toBe(true);
  });

  test('limits glibc to two malloc arenas in the final image (idle RSS: README, Performance)', () => {
    expect(finalStage).toContainEqual(expect.objectContaining({ op: 'ENV', args: 'MALLOC_ARENA_MAX=2' }));
  });

  test('fills Node\'s compile cache with every built module at build time, where the runtime reads it', () => {
    const env = finalStage.find((i) => i.op === 'ENV' && i.args.startsWith('NODE_COMPILE_CACHE='));
    const dir = env?.args.slice('NODE_COMPILE_CACHE='.length);
    expect(dir).toMatch(/^\/app\//);
    const warm = finalStage.slice(finalStage.indexOf(env!)).find((i) => i.op === 'RUN' && i.args.startsWith('node -e'));
    const script = /^node -e "(.*?)"(?: &&|$)/.exec(warm?.args ?? '')?.[1];
    expect(warm?.args).toContain(`ls ${dir}`); // the build fails if nothing was written
    // The same script, run on this checkout's build into a temporary cache.
    const cache = mkdtempSync(join(tmpdir(), 'npd-compile-cache-'));
    execFileSync(node, ['-e', script ?? ''], { cwd: repoRoot, env: { ...process.env, NODE_COMPILE_CACHE: cache } });
    const built = readdirSync(join(repoRoot, 'dist/src'), { recursive: true }).filter((f) => String(f).endsWith('.js')).length;
    const cached = readdirSync(cache, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length;
    expect(cached).toBeGreaterThanOrEqual(built);
  });

  test('links the runtime sockets of runtime-monitor.json to the host /run mount', () => {
    const monitor = JSON.parse(readFileSync(join(repoRoot, 'monitors/runtime-monitor.json'), 'utf8')) as { rules: { options?: Record<string, string> }[] };
    const options = monitor.rules.find((r) => r.options?.['containerdSocket'])?.options ?? {};
    // /var/run is /run in the image.
    const paths = [options['containerdSocket'], options['dockerSocket']].map((p) => p?.replace(/^\/var\/run\//, '/run/'));
    for (const p of paths) expect(text).toMatch(new RegExp(`ln -s /host${p} ${p}\\b`));
  });
});
