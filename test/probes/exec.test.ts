import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createManualClock, systemClock } from '../../src/core/clock.js';
import { cutOutput, processState, runPlugin } from '../../src/probes/exec.js';
import { waitFor } from '../helpers/wait.js';
import { pluginFixture } from './probe-context.js';

/** Whether `pid` is a live (not zombie) process. */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'npd-exec-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('runPlugin exit codes', () => {
  test.each([
    ['exit-0.sh', 'ok', 'ntp service is up'],
    ['exit-1.sh', 'problem', 'NTP service is not running'],
    ['exit-2.sh', 'unknown', 'cannot tell'],
    ['exit-3.sh', 'unknown', 'exit three'],
  ])('%s → %s with trimmed stdout', async (script, status, message) => {
    const r = await runPlugin(pluginFixture(script), [], { timeoutMs: 60_000, clock: systemClock });
    expect(r).toMatchObject({ status, message });
  });
  test('stdout is cut to maxOutputLength bytes', async () => {
    const r = await runPlugin(pluginFixture('long-line.sh'), [], { timeoutMs: 60_000, clock: systemClock });
    expect(r.message).toBe('123456789-123456789-123456789-123456789-123456789-123456789-123456789-123456789-');
    const r2 = await runPlugin(pluginFixture('long-line.sh'), [], { timeoutMs: 60_000, maxOutputLength: 12, clock: systemClock });
    expect(r2.message).toBe('123456789-12');
  });
  test('megabytes of output are drained, not kept, and do not block the plugin', async () => {
    const r = await runPlugin(pluginFixture('megabytes.sh'), [], { timeoutMs: 120_000, clock: systemClock });
    expect(r.status).toBe('problem');
    expect(r.message).toBe('x'.repeat(80));
  });
  test.each([
    ['not executable', pluginFixture('not-executable.sh'), 'EACCES'],
    ['missing', pluginFixture('no-such-plugin.sh'), 'ENOENT'],
  ])('%s → unknown with NPD message', async (_n, path, cause) => {
    const r = await runPlugin(path, [], { timeoutMs: 60_000, clock: systemClock });
    expect(r).toEqual({ status: 'unknown', cause, message: 'Error in starting plugin. Please check the error log' });
  });
  test('arguments are passed without a shell', async () => {
    const r = await runPlugin('/bin/echo', ['$HOME', '; rm -rf /', '`id`'], { timeoutMs: 60_000, clock: systemClock });
    expect(r).toMatchObject({ status: 'ok', message: '$HOME ; rm -rf / `id`' });
  });
  test('the environment is scrubbed to PATH', async () => {
    process.env.NPD_TEST_SECRET = 'hunter2';
    try {
      const r = await runPlugin(pluginFixture('print-env.sh'), [], { timeoutMs: 60_000, maxOutputLength: 4096, clock: systemClock });
      expect(r.message).toContain('PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin');
      expect(r.message).not.toContain('NPD_TEST_SECRET');
      expect(r.message).not.toContain('HOME=');
    } finally {
      delete process.env.NPD_TEST_SECRET;
    }
  });
});

describe('runPlugin timeout', () => {
  test('a hanging plugin is killed with NPD\'s timeout message and its partial output', async () => {
    const clock = createManualClock();
    const marker = join(dir, 'hang-started');
    const run = runPlugin(pluginFixture('hang.sh'), [marker], { timeoutMs: 5000, clock });
    await waitFor(() => existsSync(marker), 'the plugin to start');
    await clock.advance(5000);
    const r = await run;
    expect(r).toEqual({
      status: 'unknown',
      cause: 'Timeout',
      message: `Timeout when running plugin ${JSON.stringify(pluginFixture('hang.sh'))}: state - signal: killed. output - "partial output"`,
    });
  });
  test('a child that outlives the plugin and holds stdout is killed with the group', async () => {
    const clock = createManualClock();
    const pidFile = join(dir, 'orphan-pid');
    const run = runPlugin(pluginFixture('orphan-holding-stdout.sh'), [pidFile], { timeoutMs: 5000, clock });
    await waitFor(() => existsSync(pidFile), 'the child pid');
    const pid = Number(await readFile(pidFile, 'utf8'));
    expect(alive(pid)).toBe(true);
    await clock.advance(5000);
    const r = await run;
    expect(r.status).toBe('unknown');
    expect(r.message).toContain('Timeout when running plugin');
    expect(r.message).toContain(`output - "child ${pid}"`);
    await waitFor(() => !alive(pid), 'the child to die');
  });
  test('a detached child left behind after a normal exit is swept', async () => {
    const r = await runPlugin(pluginFixture('orphan-detached.sh'), [], { timeoutMs: 60_000, clock: systemClock });
    expect(r.status).toBe('ok');
    const pid = Number(/child (\d+)/.exec(r.message)?.[1]);
    expect(pid).toBeGreaterThan(0);
    await waitFor(() => !alive(pid), 'the detached child to die');
  });
  const pidsIn = async (file: string): Promise<number[]> => (await readFile(file, 'utf8')).trim().split(' ').map(Number);
  test('a timed-out plugin whose child left its group (setpgid): the child is killed too', async () => {
    const clock = createManualClock();
    const pidFile = join(dir, 'setpgid-pid');
    const run = runPlugin(pluginFixture('timeout-with-child.sh'), [pidFile], { timeoutMs: 5000, clock });
    await waitFor(() => existsSync(pidFile), 'the child pid');
    const [child] = await pidsIn(pidFile);
    expect(alive(child!)).toBe(true);
    await clock.advance(5000);
    expect(await run).toMatchObject({ status: 'unknown', cause: 'Timeout' });
    await waitFor(() => !alive(child!), 'the setpgid child to die');
  });
  test.each([
    ['times out', 'hang'],
    ['exits at once, orphaning the grandchild', 'exit'],
  ])('a plugin whose child calls setsid and %s: no descendant survives', async (_name, mode) => {
    const clock = createManualClock();
    const pidFile = join(dir, `setsid-${mode}`);
    const run = runPlugin(pluginFixture('setsid-child.sh'), [pidFile, mode], { timeoutMs: 5000, clock });
    await waitFor(() => existsSync(pidFile), 'the descendants');
    const pids = await pidsIn(pidFile);
    expect(pids).toHaveLength(2);
    if (mode === 'hang') {
      for (const pid of pids) expect(alive(pid)).toBe(true);
      await clock.advance(5000);
      expect(await run).toMatchObject({ status: 'unknown', cause: 'Timeout' });
    } else {
      expect(await run).toMatchObject({ status: 'ok', message: 'started' });
    }
    for (const pid of pids) await waitFor(() => !alive(pid), `descendant ${pid} to die`);
  });
  test('aborting kills the plugin', async () => {
    const clock = createManualClock();
    const marker = join(dir, 'abort-started');
    const controller = new AbortController();
    const run = runPlugin(pluginFixture('hang.sh'), [marker], { timeoutMs: 5000, clock, signal: controller.signal });
    await waitFor(() => existsSync(marker), 'the plugin to start');
    controller.abort();
    const r = await run;
    expect(r).toMatchObject({ status: 'unknown', cause: 'Aborted' });
  });
});

describe('helpers', () => {
  test.each([
    ['short', 80, 'short'],
    ['abcdef', 3, 'abc'],
    ['aé', 2, 'a'],
    ['日本語', 7, '日本'],
  ])('cutOutput(%j, %d)', (text, n, want) => expect(cutOutput(text, n)).toBe(want));
  test.each([
    [null, 'SIGKILL', 'signal: killed'],
    [3, null, 'exit status 3'],
    [null, 'SIGHUP', 'signal: SIGHUP'],
  ] as const)('processState(%s, %s)', (code, sig, want) => expect(processState(code, sig)).toBe(want));
});
