/**
 * Rotation in every style, driven step by step: the reader is held behind (the consumer does not
 * pull, so the source does not read), the file is written to and rotated, and only then does the
 * reader resume. Every numbered line must arrive exactly once. The only wait is for the source's
 * inotify callback to have opened a new file (as it would within a second), never a time.
 */
import { copyFileSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { everyLine, rig } from '../helpers/filelog-rig.js';

describe('filelog rotation, step by step with the reader behind', () => {
  let dir: string;
  beforeEach(async () => void (dir = await mkdtemp(join(tmpdir(), 'npd-rotate-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));
  const rounds = 5;

  test('rename + recreate twice per round, late writes to the renamed file: every line once, in order', async () => {
    const r = await rig(dir);
    r.write(30);
    await r.catchUp();
    let k = 0;
    for (let round = 0; round < rounds; round++) {
      r.write(40); // not read yet: the reader is suspended
      for (let twice = 0; twice < 2; twice++) {
        const rotated = `${r.path}.${++k}`;
        renameSync(r.path, rotated);
        r.write(3, rotated); // the writer has not reopened yet
        writeFileSync(r.path, '');
        r.write(40);
        await r.holding(1 + twice + 1); // the file being read + the new ones, opened from inotify
      }
      await r.catchUp();
    }
    expect(r.got).toEqual(everyLine(r.written()));
    await r.expectNothingMore();
    expect(r.telemetry.counts.fileRotations).toEqual({ renamed: 2 * rounds, truncated: 0 });
    expect(r.telemetry.counts.fileSkips).toEqual({ truncated: 0, 'too-many-files': 0, unopened: 0 });
    expect(r.telemetry.counts.restarts).toBe(0);
  });

  test('delete + recreate twice per round: the deleted files are read to their end, every line once', async () => {
    const r = await rig(dir);
    r.write(30);
    await r.catchUp();
    for (let round = 0; round < rounds; round++) {
      r.write(40);
      for (let twice = 0; twice < 2; twice++) {
        rmSync(r.path);
        r.write(40); // creates the new file
        await r.holding(1 + twice + 1); // a deleted file still open counts: /proc shows "(deleted)"
      }
      await r.catchUp();
    }
    expect(r.got).toEqual(everyLine(r.written()));
    await r.expectNothingMore();
    expect(r.telemetry.counts.fileRotations).toEqual({ renamed: 2 * rounds, truncated: 0 });
    expect(r.telemetry.counts.fileSkips).toEqual({ truncated: 0, 'too-many-files': 0, unopened: 0 });
  });

  test('copytruncate, the file regrowing past the reader\'s offset before it reads: the rest comes from the copy, every line once', async () => {
    const r = await rig(dir);
    let inFile = 30;
    r.write(inFile);
    await r.catchUp();
    for (let round = 1; round <= rounds; round++) {
      r.write(40);
      inFile += 40;
      copyFileSync(r.path, `${r.path}.${round}`);
      truncateSync(r.path, 0);
      // More lines than the file had: its size is past the reader's offset again, so only its
      // changed first bytes show the truncation.
      inFile += 10;
      r.write(inFile);
      await r.catchUp();
    }
    expect(r.got).toEqual(everyLine(r.written()));
    await r.expectNothingMore();
    expect(r.telemetry.counts.fileRotations).toEqual({ renamed: 0, truncated: rounds });
    expect(r.telemetry.counts.fileSkips).toEqual({ truncated: 0, 'too-many-files': 0, unopened: 0 });
    expect(r.logger.records.filter((l) => l.msg === 'log file truncated, reading from the start').map((l) => l['recoveredBytes'])).toEqual(Array(rounds).fill(expect.any(Number)));
  });

  test('copytruncate whose copy is gone (compressed at once) while 1.9 MB were unread: the loss is counted and warned, no line twice', async () => {
    const r = await rig(dir);
    r.write(30);
    await r.catchUp();
    r.write(40_000); // ~1.9 MB
    await r.catchUp(31); // one batch: the source has read the first 1 MiB and seen the size
    copyFileSync(r.path, `${r.path}.1.gz`); // not text: never read
    truncateSync(r.path, 0);
    r.write(100);
    const last = r.written() - 1;
    const deadline = Date.now() + 20_000;
    while (r.got[r.got.length - 1] !== last && Date.now() < deadline) await r.catchUp(r.got.length + 1);
    await r.expectNothingMore();
    // Lines 0..29, then what was read before the truncation, then a gap, then the 100 new lines.
    expect(r.got.slice(0, 30)).toEqual(everyLine(30));
    expect(r.got.slice(-100)).toEqual(everyLine(100).map((i) => i + 40_030));
    expect(r.got.every((n, i) => i === 0 || n === (r.got[i - 1] as number) + 1 || n === 40_030)).toBe(true);
    expect(r.got.length).toBeLessThan(r.written() - 10_000);
    expect(r.telemetry.counts.fileSkips).toEqual({ truncated: 1, 'too-many-files': 0, unopened: 0 });
    expect(r.telemetry.counts.fileRotations.truncated).toBe(1);
    const warning = r.logger.records.find((l) => l.level === 'warn');
    expect(warning?.msg).toMatch(/truncated before it was read to the end/);
    expect(warning?.['unreadBytes']).toBeGreaterThan(500_000); // ~1.9 MB written, 1 MiB of it read
  });

  test('rename storm faster than the reader (no inotify): files rotated away before they were opened are read under their new names', async () => {
    const r = await rig(dir, { watch: false });
    r.write(30);
    await r.catchUp();
    for (let round = 0, k = 0; round < 3; round++) {
      r.write(40);
      for (let i = 0; i < 3; i++) {
        renameSync(r.path, `${r.path}.${++k}`);
        r.write(40); // a new file, renamed away again before the reader looks
      }
      await r.catchUp();
    }
    expect(r.got).toEqual(everyLine(r.written()));
    await r.expectNothingMore();
    expect(r.telemetry.counts.fileRotations.renamed).toBe(9);
    expect(r.logger.records.filter((l) => l.msg.startsWith('log files rotated away before they were opened')).map((l) => l['files'])).toEqual([2, 2, 2]);
  });

  test('two copytruncates before the reader reads: the first copy from the offset, the second whole, every line once', async () => {
    const r = await rig(dir);
    r.write(30);
    await r.catchUp();
    for (let round = 1; round <= 3; round++) {
      r.write(40);
      copyFileSync(r.path, `${r.path}.${round}a`);
      truncateSync(r.path, 0);
      r.write(50);
      copyFileSync(r.path, `${r.path}.${round}b`);
      truncateSync(r.path, 0);
      r.write(200); // past the old offset
      await r.catchUp();
    }
    expect(r.got).toEqual(everyLine(r.written()));
    await r.expectNothingMore();
    expect(r.telemetry.counts.fileRotations).toEqual({ renamed: 0, truncated: 6 });
    expect(r.telemetry.counts.fileSkips.truncated).toBe(0);
  });
});
