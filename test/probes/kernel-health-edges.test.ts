/** The kernel-health probes at their boundaries, on /proc files written here: exact limits, several zones, malformed lines. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCgroups } from '../../src/probes/cgroups.js';
import { parseDentryState } from '../../src/probes/dentry.js';
import { parseBuddyinfo, probeMemfrag } from '../../src/probes/memfrag.js';
import { parseMeminfo, probeMemleak } from '../../src/probes/memleak.js';
import { probeProcess } from '../../src/probes/process.js';
import { readErrorCause } from '../../src/probes/read-probe-file.js';

/** A /proc holding `files`. */
function proc(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'npd-kh-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}
const gib = 1024 * 1024; // KiB
const buddy = (node: number, free: number[]): string => `Node ${node}, zone   Normal ${free.map((n) => String(n).padStart(6)).join(' ')}\n`;

test('memfrag: a node of exactly minMemoryGiB is checked; exactly minBlocks is enough; the poorest of several zones is named', async () => {
  const limits = { minMemoryGiB: 4, minOrder: 4, minBlocks: 100 };
  const exact = proc({ meminfo: `MemTotal: ${4 * gib} kB\n`, buddyinfo: buddy(0, [9, 9, 9, 9, 60, 40, 0, 0, 0, 0, 0]) });
  expect(await probeMemfrag(exact, limits)).toEqual({ status: 'ok', message: '100 free blocks of order ≥ 4 in the Normal zone of node 0 (min 100)' });
  const two = proc({ meminfo: `MemTotal: ${8 * gib} kB\n`, buddyinfo: buddy(0, [0, 0, 0, 0, 500]) + buddy(1, [0, 0, 0, 0, 99]) + buddy(2, [0, 0, 0, 0, 99]) });
  expect((await probeMemfrag(two, limits)).message).toBe('memory is fragmented: 99 free blocks of order ≥ 4 in the Normal zone of node 1 (min 100)');
  const first = proc({ meminfo: `MemTotal: ${8 * gib} kB\n`, buddyinfo: buddy(0, [0, 0, 0, 0, 99]) + buddy(1, [0, 0, 0, 0, 500]) });
  expect((await probeMemfrag(first, limits)).message).toContain('node 0');
});

test('memleak: unreclaimable slab of exactly minMiB counts; MemTotal 0 or missing is unparsable', async () => {
  const limits = { thresholdPercent: 15, minMiB: 800 };
  const at = proc({ meminfo: `MemTotal: ${4000 * 1024} kB\nSUnreclaim: ${800 * 1024} kB\n` });
  expect((await probeMemleak(at, limits)).status).toBe('problem');
  for (const text of [`MemTotal: 0 kB\nSUnreclaim: 5 kB\n`, `SUnreclaim: 5 kB\n`, `MemTotal: 5 kB\n`]) {
    expect(await probeMemleak(proc({ meminfo: text }), limits)).toMatchObject({ status: 'unknown', cause: 'Unparsable', message: expect.stringContaining('no MemTotal or SUnreclaim') });
  }
});

test.each<[string, (t: string) => unknown, string]>([
  ['meminfo: junk before a field', parseMeminfo, 'x MemTotal: 5 kB'],
  ['meminfo: junk after a field', parseMeminfo, 'MemTotal: 5 kB x'],
  ['buddyinfo: junk before a zone', parseBuddyinfo, 'x Node 0, zone Normal 1 2'],
  ['buddyinfo: junk after a zone', parseBuddyinfo, 'Node 0, zone Normal 1 2 x'],
  ['cgroups: junk before the header', parseCgroups, 'x #subsys_name hierarchy num_cgroups enabled\nmemory 1 2 1'],
  ['cgroups: junk after the header', parseCgroups, '#subsys_name hierarchy num_cgroups enabled x\nmemory 1 2 1'],
  ['cgroups: junk before a row', parseCgroups, '#subsys_name hierarchy num_cgroups enabled\n- memory 1 2 1'],
  ['cgroups: junk after a row', parseCgroups, '#subsys_name hierarchy num_cgroups enabled\nmemory 1 2 1 x'],
  ['dentry-state: junk after the figures', parseDentryState, '1 2 3 4 5 6 x'],
])('%s is not parsed', (_name, parse, text) => {
  expect(parse(text)).toBeUndefined();
});

test.each<[string, (t: string) => unknown, string]>([
  ['meminfo', parseMeminfo, 'MemTotal:\t8029848 kB\nHugePages_Total:       0\n\n'],
  ['buddyinfo', parseBuddyinfo, 'Node 10, zone\tNormal\t1\t2\n\n'],
  ['cgroups', parseCgroups, '#subsys_name\thierarchy\tnum_cgroups\tenabled\nmemory\t9\t120\t1\n\n'],
])('%s: tabs and runs of spaces between fields, blank lines ignored', (_name, parse, text) => {
  expect(parse(text)).toBeDefined();
});

test.each<[unknown, string]>([
  [{ code: 'ENOTDIR' }, 'NoData'],
  [{ code: 'EPERM' }, 'PermissionDenied'],
  [{ code: 'EACCES' }, 'PermissionDenied'],
  [{ code: 'EIO' }, 'EIO'],
  [undefined, 'ReadError'],
  [new Error('no code'), 'ReadError'],
])('readErrorCause(%j) = %s', (err, cause) => {
  expect(readErrorCause(err)).toBe(cause);
});

test('process: a shared /proc pass that failed gives its unknown result', async () => {
  const failed = { ok: false, result: { status: 'unknown', cause: 'NoData', message: 'no processes found in /x' } } as const;
  expect(await probeProcess('/x', ['irqbalance'], { table: async () => failed })).toEqual(failed.result);
});
