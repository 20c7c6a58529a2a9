/**
 * The journald source's cursor with the real journalctl (journal files built by systemd-journal-remote),
 * on a manual clock: when it is saved, resuming after it, and a cursor journalctl cannot use.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cursorFilePath } from '../../src/sources/journald.js';
import { takeNext } from '../helpers/async-lines.js';
import { countChildrenWith } from '../helpers/child-processes.js';
import { appendJournal } from '../helpers/journal-files.js';
import { drain, journalctlRuns, journaldRig, scriptedJournalctl } from '../helpers/journald-rig.js';
import { advanceUntil, waitFor } from '../helpers/wait.js';

let dir: string;
let file: string;
let stateDir: string;
let now: number;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'npd-jdcursor-'));
  file = join(dir, 'x.journal');
  stateDir = join(dir, 'state');
  now = Date.now();
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const write = (...ns: number[]) => appendJournal(file, ns.map((n) => ({ message: `entry ${n}`, timeMs: now + n })));
const messages = async (it: AsyncIterator<{ message: string }>, n: number) => (await takeNext(it, n)).map((l) => l.message);
/** The sequence number (`i=`) of the entry whose cursor is saved. */
const savedSeqnum = () => readFile(cursorFilePath(stateDir, 'kernel-monitor'), 'utf8').then((t) => /;i=(\d+);/.exec(t)?.[1], () => undefined);

test('the cursor is saved every cursorPersistMs (not on every entry) and at stop; a second instance resumes after it', async () => {
  await write(1);
  const a = journaldRig({ logPath: file, stateDir, cursorPersistMs: 1000 });
  expect(await messages(a.it, 1)).toEqual(['entry 1']);
  // An entry's save is decided when the consumer asks for the next one.
  await write(2);
  expect(await messages(a.it, 1)).toEqual(['entry 2']);
  expect(await savedSeqnum()).toBeUndefined();
  await a.clock.advance(1000);
  await write(3);
  expect(await messages(a.it, 1)).toEqual(['entry 3']);
  expect(await savedSeqnum()).toBe('2');
  await write(4);
  expect(await messages(a.it, 1)).toEqual(['entry 4']);
  expect(await savedSeqnum()).toBe('2');
  await a.it.return?.(undefined);
  expect(await savedSeqnum()).toBe('4');
  expect(await countChildrenWith(dir)).toBe(0);

  await write(5);
  const b = journaldRig({ logPath: file, stateDir });
  expect(await messages(b.it, 1)).toEqual(['entry 5']);
  await write(6);
  expect(await messages(b.it, 1)).toEqual(['entry 6']);
  await b.it.return?.(undefined);
});

test('a state dir that cannot be written: a warning naming the file, and the source keeps reading', async () => {
  await writeFile(join(dir, 'not-a-dir'), '');
  stateDir = join(dir, 'not-a-dir', 'state');
  await write(1, 2);
  const r = journaldRig({ logPath: file, stateDir });
  expect(await messages(r.it, 2)).toEqual(['entry 1', 'entry 2']);
  await write(3);
  expect(await messages(r.it, 1)).toEqual(['entry 3']);
  expect(r.warnings()[0]).toMatchObject({ msg: 'cannot save journal cursor', file: cursorFilePath(stateDir, 'kernel-monitor'), error: expect.stringContaining('ENOTDIR') });
  expect(r.source.health().state).toBe('up');
  await r.it.return?.(undefined);
});

test('a saved cursor journalctl keeps failing on: 4 attempts, then a warning and the lookback', async () => {
  await write(1, 2);
  await mkdir(stateDir);
  await writeFile(cursorFilePath(stateDir, 'kernel-monitor'), 'garbage\n');
  const r = journaldRig({ logPath: file, stateDir, journalctl: await scriptedJournalctl(dir, 'exec journalctl "$@"') });
  const d = drain(r.it);
  await advanceUntil(r.clock, () => d.lines.length === 2, 'the entries of the lookback', 250);
  expect(d.lines.map((l) => l.message)).toEqual(['entry 1', 'entry 2']);
  expect((await journalctlRuns(dir)).map((run) => run.includes('--after-cursor garbage'))).toEqual([true, true, true, true, false]);
  expect(r.warnings().map((w) => [w.msg, w.cursor])).toEqual([
    ['source failing', undefined],
    ['journalctl keeps failing with the saved cursor; starting from the lookback', 'garbage'],
  ]);
  r.ac.abort();
  await d.done;
  expect(await savedSeqnum()).toBe('2');
});

test('a journalctl that keeps exiting resumes after its cursor every time: nothing repeated, even after many empty runs', async () => {
  await write(1, 2);
  // Resuming from the state file after entry 1.
  const first = JSON.parse(execFileSync('journalctl', ['--file', file, '-o', 'json', '-n', '2', '--no-pager'], { encoding: 'utf8' }).split('\n')[0] ?? '') as { __CURSOR: string };
  await mkdir(stateDir);
  await writeFile(cursorFilePath(stateDir, 'kernel-monitor'), `${first.__CURSOR}\n`);
  // journalctl without --follow: prints what there is after the cursor, and exits.
  const bin = await scriptedJournalctl(dir, 'for a; do shift; [ "$a" = --follow ] || set -- "$@" "$a"; done\nexec journalctl "$@"');
  const r = journaldRig({ logPath: file, stateDir, journalctl: bin });
  const d = drain(r.it);
  await waitFor(() => d.lines.length === 1, 'entry 2');
  await advanceUntil(r.clock, async () => (await journalctlRuns(dir)).length >= 6, 'five runs that find nothing', 500);
  await write(3);
  await advanceUntil(r.clock, () => d.lines.length >= 2, 'entry 3', 500);
  expect(d.lines.map((l) => l.message)).toEqual(['entry 2', 'entry 3']);
  expect((await journalctlRuns(dir)).every((run) => run.includes('--after-cursor'))).toBe(true);
  expect(r.warnings().filter((w) => w.msg.includes('cursor'))).toEqual([]);
  r.ac.abort();
  await d.done;
});

test('a dropped cursor with nothing read since is not kept: the next start goes to the lookback at once', async () => {
  await appendJournal(file, [{ message: 'old', timeMs: now - 3_600_000 }]);
  await mkdir(stateDir);
  await writeFile(cursorFilePath(stateDir, 'kernel-monitor'), 'garbage\n');
  const bin = await scriptedJournalctl(dir, 'exec journalctl "$@"');
  const a = journaldRig({ logPath: file, stateDir, journalctl: bin });
  const d = drain(a.it);
  await advanceUntil(a.clock, async () => (await journalctlRuns(dir)).length === 5, 'the fifth run, from the lookback', 250);
  a.ac.abort();
  await d.done;
  await write(1);
  const b = journaldRig({ logPath: file, stateDir, journalctl: bin });
  expect(await messages(b.it, 1)).toEqual(['entry 1']);
  expect((await journalctlRuns(dir))[5]).not.toContain('--after-cursor');
  await b.it.return?.(undefined);
});
