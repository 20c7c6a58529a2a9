/**
 * copytruncate recovery (filelog-truncation.ts) in the cases the rotation tests do not reach: the
 * file still empty when the reader comes back, a copy of what the file holds now that is not
 * truncated yet, and what the recovery reports (bytes recovered, nothing lost) and keeps open.
 */
import { copyFileSync, statSync, truncateSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { everyLine, rig } from '../helpers/filelog-rig.js';
import { countOpenFdsUnder } from '../helpers/open-fds.js';

describe('filelog copytruncate recovery', () => {
  let dir: string;
  beforeEach(async () => void (dir = await mkdtemp(join(tmpdir(), 'npd-truncation-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const recoveries = (r: Awaited<ReturnType<typeof rig>>): unknown[] =>
    r.logger.records.filter((l) => l.msg === 'log file truncated, reading from the start').map((l) => l['recoveredBytes']);

  test('two copytruncates, the file still empty when the reader comes: the first copy from the offset, the second whole, the copies closed', async () => {
    const r = await rig(dir);
    r.write(30);
    await r.catchUp();
    const offset = statSync(r.path).size;
    r.write(40);
    copyFileSync(r.path, `${r.path}.1`);
    truncateSync(r.path, 0);
    r.write(50);
    copyFileSync(r.path, `${r.path}.2`);
    truncateSync(r.path, 0);
    await r.catchUp(120);
    r.write(10);
    await r.catchUp();
    expect(r.got).toEqual(everyLine(130));
    expect(await countOpenFdsUnder(dir)).toBe(1); // the log itself, not its copies
    expect(recoveries(r)).toEqual([statSync(`${r.path}.1`).size - offset + statSync(`${r.path}.2`).size]);
    expect(r.telemetry.counts.fileRotations).toEqual({ renamed: 0, truncated: 2 });
    expect(r.telemetry.counts.fileSkips.truncated).toBe(0);
    await r.expectNothingMore();
  });

  test('a copy of what the file holds now, not truncated yet: that generation is read from the file, once', async () => {
    const r = await rig(dir);
    r.write(30);
    await r.catchUp();
    r.write(40);
    copyFileSync(r.path, `${r.path}.1`);
    truncateSync(r.path, 0);
    r.write(50);
    copyFileSync(r.path, `${r.path}.2`); // the next copytruncate, caught between its copy and its truncate
    await r.catchUp(120);
    expect(r.got).toEqual(everyLine(120));
    expect(await countOpenFdsUnder(dir)).toBe(1);
    await r.expectNothingMore();
    expect(r.telemetry.counts.fileRotations).toEqual({ renamed: 0, truncated: 1 });
  });
});
