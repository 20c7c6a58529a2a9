/**
 * Finding a plugin run's processes in a procfs tree: by parent chain, by session, by the run's
 * environment marker, only among processes started since the run began, never zombies.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findPluginProcesses, initIsOwn, parseProcStat, pluginRunVariable, readUptimeTicks } from '../../src/probes/plugin-processes.js';

/** A `/proc/PID/stat` line: pid (comm) state ppid pgrp session … starttime (field 22). */
const statLine = (pid: number, comm: string, state: string, ppid: number, session: number, start: number): string =>
  `${pid} (${comm}) ${state} ${ppid} ${pid} ${session} 0 -1 4194304 1 0 0 0 0 0 0 0 20 0 1 0 ${start} 1000 100 0\n`;

test('parseProcStat reads pid, state, ppid, session and start time, whatever the command name holds', () => {
  expect(parseProcStat(statLine(42, 'a) b (c', 'S', 7, 9, 12345))).toEqual({ pid: 42, state: 'S', ppid: 7, session: 9, startTicks: 12345 });
  expect(parseProcStat('garbage')).toBeUndefined();
});

describe('findPluginProcesses on a fake /proc', () => {
  const proc = mkdtempSync(join(tmpdir(), 'npd-proc-'));
  const add = (pid: number, state: string, ppid: number, session: number, start: number, env: string[]): void => {
    mkdirSync(join(proc, String(pid)));
    writeFileSync(join(proc, String(pid), 'stat'), statLine(pid, 'sh', state, ppid, session, start));
    writeFileSync(join(proc, String(pid), 'environ'), env.map((e) => `${e}\0`).join(''));
  };
  const mark = `${pluginRunVariable}=77.1`;
  writeFileSync(join(proc, 'uptime'), '1234.56 999.00\n');
  add(100, 'S', 1, 100, 5000, ['PATH=/bin', mark]); // the plugin
  add(101, 'S', 100, 100, 5001, ['PATH=/bin', mark]); // its child
  add(102, 'S', 101, 102, 5002, ['PATH=/bin']); // a setsid'd grandchild that scrubbed its environment: parent chain
  add(103, 'S', 1, 103, 5003, [mark, 'PATH=/bin']); // a setsid'd orphan: only the marker
  add(104, 'S', 1, 100, 5004, []); // left the group, kept the session
  add(105, 'Z', 100, 100, 5005, [mark]); // a zombie: nothing to kill
  add(106, 'S', 1, 106, 5006, [`${pluginRunVariable}=77.10`]); // another run's marker
  add(107, 'S', 1, 107, 4000, [mark]); // started before the run: not looked at (pid reuse)
  add(108, 'S', 1, 108, 5008, ['PATH=/bin']); // unrelated

  test('finds the plugin and every descendant, and nothing else', async () => {
    const found = await findPluginProcesses(proc, { pid: 100, marker: '77.1', sinceTicks: 5000 });
    expect(found.sort()).toEqual([100, 101, 102, 103, 104]);
  });
  test('a missing procfs finds nothing', async () => {
    expect(await findPluginProcesses(join(proc, 'nope'), { pid: 100, marker: '77.1', sinceTicks: 0 })).toEqual([]);
  });
  test('uptime in clock ticks', () => {
    expect(readUptimeTicks(proc)).toBe(123456);
    expect(readUptimeTicks(join(proc, 'nope'))).toBe(0);
  });
});

describe('orphans of the agent\'s own init (tini as PID 1 of the container)', () => {
  /** A fake /proc: init (1), the agent (2, its child), the plugin run (100, since tick 5000). */
  const tree = (extra: (add: (pid: number, ppid: number, start: number) => void) => void): string => {
    const proc = mkdtempSync(join(tmpdir(), 'npd-proc-init-'));
    const add = (pid: number, ppid: number, start: number): void => {
      mkdirSync(join(proc, String(pid)));
      writeFileSync(join(proc, String(pid), 'stat'), statLine(pid, 'sh', 'S', ppid, pid, start));
      writeFileSync(join(proc, String(pid), 'environ'), 'PATH=/bin\0');
    };
    add(1, 0, 100); // tini
    add(2, 1, 110); // the agent
    add(100, 2, 5000); // the plugin
    add(201, 1, 5001); // an escapee: no marker, own session, re-parented to PID 1
    add(202, 201, 5002); // its child
    add(203, 1, 4000); // an orphan from before the run: not this run's
    extra(add);
    return proc;
  };
  const run = { pid: 100, marker: '9.1', sinceTicks: 5000 };

  test('when PID 1 started the agent and has no older child, its children since the run began are the run\'s', async () => {
    expect((await findPluginProcesses(tree(() => {}), run, 2)).sort()).toEqual([100, 201, 202]);
  });
  type Add = (pid: number, ppid: number, start: number) => void;
  test.each([
    ['PID 1 has a child older than the agent (a host\'s systemd)', 2, (add: Add) => add(50, 1, 105)],
    ['the agent is not PID 1\'s child (node as PID 1, or under a supervisor)', 3, (add: Add) => add(3, 60, 120)],
  ])('not when %s', async (_name, self, extra) => {
    expect((await findPluginProcesses(tree(extra), run, self)).sort()).toEqual([100]);
  });
  test('initIsOwn', () => {
    const s = (pid: number, ppid: number, startTicks: number): ReturnType<typeof parseProcStat> & object => ({ pid, ppid, startTicks, session: pid, state: 'S' });
    expect(initIsOwn(s(2, 1, 110), [s(1, 0, 100), s(9, 1, 200)])).toBe(true);
    expect(initIsOwn(s(2, 1, 110), [s(1, 0, 100), s(9, 1, 100)])).toBe(false);
    expect(initIsOwn(s(2, 7, 110), [s(1, 0, 100)])).toBe(false);
  });
});
