/** The journald source against the real journalctl, on journal files built by systemd-journal-remote. */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../../src/core/clock.js';
import { createMemoryLogger } from '../../src/core/logger.js';
import { createJournaldSource, cursorFilePath } from '../../src/sources/journald.js';
import type { SourceConfig } from '../../src/sources/log-source.js';
import { takeNext } from '../helpers/async-lines.js';
import { waitFor } from '../helpers/wait.js';
import { countChildrenWith } from '../helpers/child-processes.js';
import { appendJournal } from '../helpers/journal-files.js';
import { drain, journalctlRuns, journaldRig, scriptedJournalctl } from '../helpers/journald-rig.js';
import { createRecordingTelemetry } from '../helpers/recording-telemetry.js';
import { runLogSourceContract } from '../sources/log-source.contract.js';

const config = (logPath: string, identifier: string, lookbackMs = 5 * 60_000): SourceConfig => ({
  plugin: 'journald', file: 'docker-monitor.json', source: `${identifier}-monitor`, logPath, lookbackMs, delayMs: 0, pluginConfig: { source: identifier },
});

function setup(logPath: string, identifier: string, opts: { stateDir?: string; journalctl?: string; lookbackMs?: number } = {}) {
  const telemetry = createRecordingTelemetry();
  const logger = createMemoryLogger();
  const source = createJournaldSource(config(logPath, identifier, opts.lookbackMs), {
    clock: systemClock, logger, telemetry, bootTimeMs: Date.now() - 3_600_000, random: () => 0.5, ...(opts.stateDir ? { stateDir: opts.stateDir } : {}),
  }, { cursorPersistMs: 0, ...(opts.journalctl ? { journalctl: opts.journalctl } : {}) });
  return { source, telemetry, logger };
}

/** A journalctl that fails (exit 3) until `<dir>/repaired` exists, then runs the real one. */
const fakeJournalctl = (dir: string, always = false): Promise<string> =>
  scriptedJournalctl(dir, `${always ? '' : `[ -e '${dir}/repaired' ] && exec journalctl "$@"\n`}echo "fake journalctl: boom" >&2\nexit 3`);

runLogSourceContract('journald', async ({ lookbackMs, broken }) => {
  const dir = await mkdtemp(join(tmpdir(), 'npd-journald-'));
  const file = join(dir, 'x.journal');
  const { source, telemetry } = setup(file, 'kernel', { lookbackMs, stateDir: join(dir, 'state'), ...(broken ? { journalctl: await fakeJournalctl(dir) } : {}) });
  return {
    source, counts: telemetry.counts, nowMs: Date.now(), countsOld: false,
    write: (entries) => appendJournal(file, entries),
    repair: () => writeFile(join(dir, 'repaired'), ''),
    openResources: () => countChildrenWith(dir),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
});

describe('journald source with the real journalctl', () => {
  let dir: string;
  beforeEach(async () => void (dir = await mkdtemp(join(tmpdir(), 'npd-journald-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  test('SYSLOG_IDENTIFIER filter (NPD pluginConfig.source)', async () => {
    const file = join(dir, 'x.journal');
    const now = Date.now();
    await appendJournal(file, [
      { message: 'EXT4-fs error (device sda1): kernel one', timeMs: now - 3000 },
      { message: 'Error trying v2 registry: failed to register layer', timeMs: now - 2000, identifier: 'dockerd', fields: { _SYSTEMD_UNIT: 'docker.service' } },
      { message: 'kernel two', timeMs: now - 1000 },
      { message: 'dockerd two', timeMs: now, identifier: 'dockerd' },
    ]);
    const s = setup(file, 'dockerd');
    const ac = new AbortController();
    const lines = await takeNext(s.source.lines(ac.signal)[Symbol.asyncIterator](), 2);
    expect(lines.map((l) => l.message)).toEqual(['Error trying v2 registry: failed to register layer', 'dockerd two']);
    expect(lines[0]?.fields).toMatchObject({ SYSLOG_IDENTIFIER: 'dockerd', _SYSTEMD_UNIT: 'docker.service' });
    expect(lines[1]?.time.getTime()).toBe(now);
    ac.abort();
  });

  test('cursor persisted; a second instance resumes without loss or repeat', async () => {
    const file = join(dir, 'x.journal');
    const stateDir = join(dir, 'state');
    const now = Date.now();
    await appendJournal(file, [1, 2, 3].map((n) => ({ message: `entry ${n}`, timeMs: now - 10_000 + n })));
    const a = setup(file, 'kernel', { stateDir });
    const acA = new AbortController();
    const itA = a.source.lines(acA.signal)[Symbol.asyncIterator]();
    expect((await takeNext(itA, 3)).map((l) => l.message)).toEqual(['entry 1', 'entry 2', 'entry 3']);
    acA.abort();
    expect((await itA.next()).done).toBe(true);
    const cursor = (await readFile(cursorFilePath(stateDir, 'kernel-monitor'), 'utf8')).trim();
    expect(cursor).toMatch(/^s=.*;i=3;/);
    expect(await countChildrenWith(dir)).toBe(0);

    await appendJournal(file, [4, 5].map((n) => ({ message: `entry ${n}`, timeMs: now + n })));
    const b = setup(file, 'kernel', { stateDir });
    const acB = new AbortController();
    const itB = b.source.lines(acB.signal)[Symbol.asyncIterator]();
    expect((await takeNext(itB, 2)).map((l) => l.message)).toEqual(['entry 4', 'entry 5']);
    await appendJournal(file, [{ message: 'entry 6', timeMs: now + 6 }]);
    expect((await takeNext(itB, 1))[0]?.message).toBe('entry 6');
    acB.abort();
  });

  test.each([
    ['a journal file: --file', 'x.journal', 'x.journal', '--file'],
    ['a journal directory: -D', 'j', 'j/x.journal', '-D'],
  ])('logPath %s', async (_name, logPath, journal, flag) => {
    await mkdir(join(dir, 'j'));
    await appendJournal(join(dir, journal), [{ message: 'hello', timeMs: Date.now() }]);
    const r = journaldRig({ logPath: join(dir, logPath), journalctl: await scriptedJournalctl(dir, 'exec journalctl "$@"') });
    expect((await takeNext(r.it, 1))[0]?.message).toBe('hello');
    expect((await journalctlRuns(dir))[0]).toContain(` ${flag} ${join(dir, logPath)} `);
    await r.it.return?.(undefined);
  });

  test('a missing logPath: -D, and the source waits (no journal here), looking again with the 1 s backoff', async () => {
    const logPath = join(dir, 'none');
    const r = journaldRig({ logPath, journalctl: await scriptedJournalctl(dir, 'exec journalctl "$@"') });
    const d = drain(r.it);
    await waitFor(() => r.source.health().detail.startsWith('no journal'), 'waiting');
    expect(r.source.health()).toMatchObject({ state: 'waiting', restarts: 0, detail: `no journal to read: journalctl exited with 1 (Failed to open ${logPath}: No such file or directory); looking again in 750ms` });
    expect((await journalctlRuns(dir))[0]).toContain(` -D ${logPath} `);
    r.ac.abort();
    await d.done;
  });

  /** A source on a journalctl that always exits 3, followed until `stop()`. */
  async function followBrokenJournalctl() {
    const s = setup(join(dir, 'x.journal'), 'kernel', { journalctl: await fakeJournalctl(dir, true) });
    const ac = new AbortController();
    const done = (async () => {
      for await (const _ of s.source.lines(ac.signal)) { /* nothing arrives */ }
    })();
    return { s, stop: async () => { ac.abort(); await done; } };
  }

  test('a journalctl that keeps exiting is restarted with backoff, counted and visible in health()', async () => {
    const { s, stop } = await followBrokenJournalctl();
    await waitFor(() => s.telemetry.counts.restarts >= 2, 'two restarts', 20_000);
    expect(s.source.health()).toMatchObject({ state: 'failing', alive: false });
    expect(s.source.health().detail).toMatch(/journalctl exited with 3 \(fake journalctl: boom\); restarting in \d+ms/);
    // Logged once when it started failing, not once per restart.
    expect(s.logger.records.filter((r) => r.level === 'warn' && String(r.detail).includes('boom'))).toHaveLength(1);
    await stop();
  });

  test('between restarts of a journalctl that dies at once, health() never says alive', async () => {
    const { s, stop } = await followBrokenJournalctl();
    await waitFor(() => s.telemetry.counts.restarts >= 1, 'the first restart', 20_000);
    // Sample on every turn of the event loop across the next restarts (each respawn included).
    const seen = new Set<boolean>();
    while (s.telemetry.counts.restarts < 3) {
      seen.add(s.source.health().alive);
      await new Promise((r) => setImmediate(r));
    }
    await stop();
    expect([...seen]).toEqual([false]);
  });
});
