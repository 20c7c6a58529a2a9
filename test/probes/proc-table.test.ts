/** The shared /proc pass on its own: stat parsing, listing errors, threads, and when a table is reused. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createManualClock } from '../../src/core/clock.js';
import { createProcTableSource, listPids, parseStat, readProcTable } from '../../src/probes/proc-table.js';

test.each<[string, { comm: string; state: string } | undefined]>([
  ['1 (systemd) S 0 1', { comm: 'systemd', state: 'S' }],
  ['7 () R 1', { comm: '', state: 'R' }],
  ['7 (a)b) Z 1', { comm: 'a)b', state: 'Z' }],
  ['7 a) S 1', undefined], // no "("
  ['7 )a( S 1', undefined], // ")" before "("
  ['7 (a)S 1', undefined], // no space after the comm
  ['7 (a) ', undefined], // no state
])('parseStat(%j)', (text, want) => {
  expect(parseStat(text)).toEqual(want);
});

test('a proc that cannot be listed, or holds no process, gives an unknown result', async () => {
  const missing = join(tmpdir(), 'npd-no-such-proc');
  expect(listPids(missing)).toEqual({ ok: false, result: { status: 'unknown', cause: 'NoData', message: `couldn't read ${missing}: ENOENT` } });
  const empty = mkdtempSync(join(tmpdir(), 'npd-proc-'));
  mkdirSync(join(empty, 'sys'));
  writeFileSync(join(empty, '12a'), '');
  writeFileSync(join(empty, 'net1'), '');
  expect(listPids(empty)).toEqual({ ok: false, result: { status: 'unknown', cause: 'NoData', message: `no processes found in ${empty}` } });
  await expect(readProcTable(missing)).resolves.toEqual(listPids(missing));
});

test('the table: comm trimmed, every thread with its state, a process without task/ or stat', async () => {
  const proc = mkdtempSync(join(tmpdir(), 'npd-proc-'));
  const write = (path: string, text: string): void => {
    mkdirSync(join(proc, path, '..'), { recursive: true });
    writeFileSync(join(proc, path), text);
  };
  write('10/stat', '10 (worker ) S 1\n');
  write('10/task/10/stat', '10 (worker ) S 1\n');
  write('10/task/11/stat', '11 (worker ) D 1\n');
  write('10/task/12/stat', 'garbage\n'); // a thread whose stat cannot be parsed is left out
  mkdirSync(join(proc, '10/task/13')); // …and one that exited (no stat)
  write('10/task/notes', '');
  write('20/stat', '20 (lonely) R 1\n'); // no task directory: the main thread only
  mkdirSync(join(proc, '30')); // exited between the listing and the read
  write('40/stat', 'not a stat line');
  const table = await readProcTable(proc);
  expect(table).toEqual({
    ok: true,
    processes: [
      { pid: 10, comm: 'worker', tasks: [{ tid: 10, state: 'S' }, { tid: 11, state: 'D' }] },
      { pid: 20, comm: 'lonely', tasks: [{ tid: 20, state: 'R' }] },
    ],
  });
});

test('a large proc is read whole (the pass yields to the event loop every 64 reads)', async () => {
  const proc = mkdtempSync(join(tmpdir(), 'npd-proc-'));
  for (let pid = 1; pid <= 150; pid++) {
    mkdirSync(join(proc, String(pid), 'task', String(pid)), { recursive: true });
    writeFileSync(join(proc, String(pid), 'stat'), `${pid} (p${pid}) S 1\n`);
  }
  const table = await readProcTable(proc);
  expect(table.ok && table.processes.length).toBe(150);
});

test('a table is reused for reuseMs, then read again', async () => {
  const clock = createManualClock();
  const proc = mkdtempSync(join(tmpdir(), 'npd-proc-'));
  mkdirSync(join(proc, '1'));
  writeFileSync(join(proc, '1', 'stat'), '1 (init) S 0\n');
  const source = createProcTableSource(proc, clock, 1000);
  const first = source.table();
  await clock.advance(999);
  expect(source.table()).toBe(first);
  await clock.advance(1);
  const second = source.table();
  expect(second).not.toBe(first);
  expect(await second).toEqual(await first);
  expect(createProcTableSource(proc, clock).table()).not.toBe(second);
  const byDefault = createProcTableSource(proc, clock);
  const t = byDefault.table();
  await clock.advance(4999);
  expect(byDefault.table()).toBe(t);
  await clock.advance(1);
  expect(byDefault.table()).not.toBe(t);
});
