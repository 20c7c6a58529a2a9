/**
 * Finding a plugin run's processes in a procfs tree: by parent chain, by session, by the run's
 * environment marker, only among processes started since the run began, never zombies.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findPluginProcesses, parseProcStat, pluginRunVariable, readUptimeTicks } from '../../src/probes/plugin-processes.js';

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
