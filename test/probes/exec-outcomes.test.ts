/**
 * What runPlugin reports and logs for each way a plugin ends: not started, killed by a signal, exit
 * codes, stderr, output caps, the environment it gets, and a run that is stopped. Plugins are shell
 * scripts written per test.
 */
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createManualClock, systemClock } from '../../src/core/clock.js';
import { createMemoryLogger } from '../../src/core/logger.js';
import { cutOutput, pluginOutputCapBytes, processState, runPlugin } from '../../src/probes/exec.js';
import { pluginRunVariable } from '../../src/probes/plugin-processes.js';
import { waitFor } from '../helpers/wait.js';
import { pluginFixture } from './probe-context.js';

let dir: string;
let scripts = 0;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'npd-exec-out-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** An executable shell script with `body`. */
async function script(body: string): Promise<string> {
  const path = join(dir, `plugin-${++scripts}.sh`);
  await writeFile(path, `#!/bin/sh\n${body}\n`);
  await chmod(path, 0o755);
  return path;
}

describe('how a plugin ended', () => {
  test('an aborted signal: the plugin is not started', async () => {
    const marker = join(dir, 'never-started');
    const stop = new AbortController();
    stop.abort();
    const path = await script(`echo started > ${marker}`);
    expect(await runPlugin(path, [], { timeoutMs: 60_000, clock: systemClock, signal: stop.signal })).toEqual({
      status: 'unknown', cause: 'Aborted', message: `plugin "${path}" not run: stopping`,
    });
    expect(existsSync(marker)).toBe(false);
  });
  test('not started: the error is logged with the path', async () => {
    const logger = createMemoryLogger();
    const path = join(dir, 'missing.sh');
    expect(await runPlugin(path, [], { timeoutMs: 60_000, clock: systemClock, logger })).toMatchObject({ status: 'unknown', cause: 'ENOENT' });
    expect(logger.records).toEqual([expect.objectContaining({ level: 'error', msg: 'Error in starting plugin', path, error: expect.stringContaining('ENOENT') })]);
  });
  test('killed by a signal of its own: unknown, the signal as the cause', async () => {
    const path = await script('echo dying\nkill -TERM $$');
    expect(await runPlugin(path, [], { timeoutMs: 60_000, clock: systemClock })).toEqual({ status: 'unknown', cause: 'ExitCodeSIGTERM', message: 'dying' });
  });
  test('an exit code other than 0 and 1 is the cause', async () => {
    expect(await runPlugin(await script('echo odd\nexit 42'), [], { timeoutMs: 60_000, clock: systemClock })).toEqual({ status: 'unknown', cause: 'ExitCode42', message: 'odd' });
  });
  test('stopped while running: the state and partial output, logged as a warning with stderr', async () => {
    const clock = createManualClock();
    const logger = createMemoryLogger();
    const marker = join(dir, 'stop-started');
    const path = await script(`echo partial\necho complaint >&2\necho started > ${marker}\nsleep 1000`);
    const stop = new AbortController();
    const run = runPlugin(path, [], { timeoutMs: 5000, clock, signal: stop.signal, logger });
    await waitFor(() => existsSync(marker), 'the plugin to start');
    stop.abort();
    const message = `Stopped while running plugin ${JSON.stringify(path)}: state - signal: killed. output - "partial"`;
    expect(await run).toEqual({ status: 'unknown', cause: 'Aborted', message });
    expect(logger.records).toEqual([expect.objectContaining({ level: 'warn', msg: message, stderr: 'complaint' })]);
  });
});

describe('stderr and output', () => {
  test.each([
    ['ok: debug', 'exit 0', 'debug'],
    ['a problem: warn', 'exit 1', 'warn'],
    ['unknown: warn', 'exit 3', 'warn'],
  ])('stderr is logged on %s', async (_name, exit, level) => {
    const logger = createMemoryLogger();
    const path = await script(`echo out\necho '  trouble  ' >&2\n${exit}`);
    await runPlugin(path, [], { timeoutMs: 60_000, clock: systemClock, logger });
    expect(logger.records).toEqual([expect.objectContaining({ level, msg: 'plugin stderr', path, stderr: 'trouble' })]);
  });
  test('no stderr, no log', async () => {
    const logger = createMemoryLogger();
    await runPlugin(await script('echo fine'), [], { timeoutMs: 60_000, clock: systemClock, logger });
    expect(logger.records).toEqual([]);
  });
  test(`${pluginOutputCapBytes} bytes of each stream are kept`, async () => {
    const logger = createMemoryLogger();
    const r = await runPlugin(pluginFixture('megabytes.sh'), [], { timeoutMs: 120_000, maxOutputLength: 1_000_000, clock: systemClock, logger });
    expect(r).toEqual({ status: 'problem', message: 'x'.repeat(pluginOutputCapBytes) });
    expect(logger.records[0]?.stderr).toBe('y'.repeat(pluginOutputCapBytes));
  });
  test('output at exactly the limit is whole; a limit of 0 or less keeps nothing', () => {
    expect([cutOutput('abc', 3), cutOutput('abc', 0), cutOutput('abc', -1), cutOutput('é', 1)]).toEqual(['abc', '', '', '']);
  });
  test.each([
    [null, 'SIGTERM', 'signal: terminated'],
    [null, null, 'exit status -1'],
    [0, null, 'exit status 0'],
  ] as const)('processState(%s, %s)', (code, sig, want) => expect(processState(code, sig)).toBe(want));
});

describe('the environment', () => {
  test('env replaces PATH-only, and the run marker is added', async () => {
    const r = await runPlugin(pluginFixture('print-env.sh'), [], { timeoutMs: 60_000, maxOutputLength: 4096, clock: systemClock, env: { PATH: '/usr/bin:/bin', ZONE: 'cn-1' } });
    const lines = r.message.split('\n').filter((l) => !l.startsWith('PWD=') && !l.startsWith('SHLVL=') && !l.startsWith('_='));
    expect(lines.sort()).toEqual([expect.stringMatching(new RegExp(`^${pluginRunVariable}=${process.pid}\\.\\d+$`)), 'PATH=/usr/bin:/bin', 'ZONE=cn-1']);
  });
  test('each run has its own marker', async () => {
    const markers = [];
    for (let i = 0; i < 2; i++) {
      const r = await runPlugin(await script(`echo $${pluginRunVariable}`), [], { timeoutMs: 60_000, clock: systemClock });
      markers.push(r.message);
    }
    expect(markers[0]).toMatch(new RegExp(`^${process.pid}\\.\\d+$`));
    expect(markers[1]).not.toBe(markers[0]);
  });
});
