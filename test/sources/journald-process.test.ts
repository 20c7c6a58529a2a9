/**
 * The journald source and its journalctl process: health, backoff, output handling and stopping,
 * with scripted journalctls on a manual clock (test/helpers/journald-rig.ts).
 */
import { getEventListeners } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { countChildrenWith } from '../helpers/child-processes.js';
import { drain, journalctlRuns, journaldRig, jsonEntry, scriptedJournalctl } from '../helpers/journald-rig.js';
import { waitFor } from '../helpers/wait.js';

let dir: string;
beforeEach(async () => void (dir = await mkdtemp(join(tmpdir(), 'npd-jdproc-'))));
afterEach(() => rm(dir, { recursive: true, force: true }));

/** The source on a scripted journalctl running `body` (sh), drained in the background. */
async function onScript(body: string, logPath = join(dir, 'journal')) {
  const r = journaldRig({ logPath, journalctl: await scriptedJournalctl(dir, body) });
  return { ...r, d: drain(r.it) };
}

/** A scripted journalctl that prints `lines` (journalctl -o json), then follows forever. */
const printing = (lines: string[], then = 'while :; do sleep 0.1; done') => scriptedJournalctl(dir, `printf '%s\\n' ${lines.map((l) => `'${l}'`).join(' ')}\n${then}`);

test('no journalctl binary: waiting, not failing, looked for again with the 1 s backoff', async () => {
  const bin = join(dir, 'no-such-journalctl');
  const r = journaldRig({ logPath: join(dir, 'journal'), journalctl: bin });
  const d = drain(r.it);
  await waitFor(() => r.source.health().state === 'waiting' && r.source.health().detail !== `starting ${join(dir, 'journal')}`, 'waiting');
  expect(r.source.health()).toMatchObject({ alive: false, restarts: 0 });
  // Under jest the spawn error comes from another realm, so errorMessage gives its String().
  expect(r.source.health().detail.replace('Error: ', '')).toBe(`no journal to read: journalctl spawn ${bin} ENOENT; looking again in 750ms`);
  r.ac.abort();
  await d.done;
});

test('a failing journalctl: failing, restarted after a backoff from 500 ms on the source clock, never up', async () => {
  const { d, ...r } = await onScript('echo "journalctl: boom" >&2; exit 3');
  for (const [n, ms] of [[1, 375], [2, 750], [3, 1500], [4, 3000], [5, 6000]] as const) {
    await waitFor(() => r.telemetry.counts.restarts === n, `restart ${n}`);
    expect(r.source.health()).toMatchObject({ state: 'failing', alive: false, detail: `journalctl exited with 3 (journalctl: boom); restarting in ${ms}ms` });
    // Only the backoff's sleep listens on the signal: no listener left by the journalctls before.
    expect(getEventListeners(r.ac.signal, 'abort')).toHaveLength(1);
    await r.clock.advance(ms - 1);
    expect(await journalctlRuns(dir)).toHaveLength(n);
    await r.clock.advance(1);
  }
  // 11.6 s went by: the STABLE_MS timer of a journalctl that died at once never made it up.
  expect(r.logger.records.filter((rec) => rec.msg === 'source up')).toEqual([]);
  // One warning when it started failing; none about a saved cursor (there is none).
  expect(r.warnings().map((w) => w.msg)).toEqual(['source failing']);
  r.ac.abort();
  await d.done;
});

test('a journalctl flooding stderr: the last 1000 characters are kept for the health detail', async () => {
  const { d, ...r } = await onScript("head -c 5000 /dev/zero | tr '\\0' x >&2; exit 3");
  await waitFor(() => r.telemetry.counts.restarts === 1, 'a restart');
  expect(r.source.health().detail).toBe(`journalctl exited with 3 (${'x'.repeat(1000)}); restarting in 375ms`);
  r.ac.abort();
  await d.done;
});

test('output: unparsable and empty entries are counted and skipped; the cursor carries over a restart; the backoff starts over after entries', async () => {
  const now = Date.now();
  const logPath = join(dir, 'journal');
  const bin = await printing(['not json', jsonEntry('c1', now, ''), jsonEntry('c2', now, 'hello')], 'exit 0');
  const r = journaldRig({ logPath, journalctl: bin });
  const d = drain(r.it);
  await waitFor(() => r.telemetry.counts.restarts === 1, 'the first exit');
  expect(d.lines.map((l) => l.message)).toEqual(['hello']);
  expect(r.telemetry.counts).toMatchObject({ linesRead: 1, skipped: { unparsable: 1, empty: 1 } });
  expect(r.logger.records.filter((rec) => rec.msg === 'source up')).toMatchObject([{ detail: `following journal ${logPath}` }]);
  expect(r.source.health().detail).toBe('journalctl exited with 0; restarting in 375ms');
  await r.clock.advance(375);
  await waitFor(() => r.telemetry.counts.restarts === 2, 'the second exit');
  expect(r.source.health().detail).toBe('journalctl exited with 0; restarting in 375ms');
  expect((await journalctlRuns(dir))[1]).toContain('--after-cursor c2');
  r.ac.abort();
  await d.done;
});

test('the system journal (no logPath): named "the journal"; no -D or --file', async () => {
  const r = journaldRig({ logPath: '', journalctl: await printing([jsonEntry('c1', Date.now(), 'hello'), jsonEntry('c2', Date.now(), 'again')]) });
  expect(r.source.health().detail).toBe('starting the journal');
  const d = drain(r.it);
  await waitFor(() => d.lines.length === 2, 'the entries');
  expect(r.source.health()).toMatchObject({ state: 'up', detail: 'following journal' });
  // Up once: no second report of the same state for the next entry.
  expect(r.logger.records.filter((rec) => rec.source === 'kernel-monitor').map((rec) => rec.msg)).toEqual(['source up']);
  expect((await journalctlRuns(dir))[0]).toMatch(/^--no-pager -o json --all --follow --since @\d+ SYSLOG_IDENTIFIER=kernel$/);
  r.ac.abort();
  await d.done;
});

test('a journalctl without entries is up after STABLE_MS; a stop is no failure and leaves no timer', async () => {
  const logPath = join(dir, 'journal');
  const { d, ...r } = await onScript('while :; do sleep 0.1; done', logPath);
  expect(r.source.health().detail).toBe(`starting ${logPath}`);
  await waitFor(() => r.clock.pending() === 1, 'the STABLE_MS timer');
  await r.clock.advance(9_999);
  expect(r.source.health().alive).toBe(false);
  await r.clock.advance(1);
  expect(r.source.health()).toMatchObject({ state: 'up', detail: `following journal ${logPath}` });
  r.ac.abort();
  await d.done;
  expect(await countChildrenWith(dir)).toBe(0);
  expect(r.clock.pending()).toBe(0);
  expect(r.source.health()).toMatchObject({ state: 'up', restarts: 0 });
  expect(r.warnings()).toEqual([]);
});

test('stop: a journalctl that ignores SIGTERM is SIGKILLed 2 s later on the source clock', async () => {
  const { d, ...r } = await onScript(`trap '' TERM; touch '${dir}/ready'; while :; do sleep 0.1; done`);
  await waitFor(() => existsSync(join(dir, 'ready')), 'the TERM trap');
  r.ac.abort();
  await waitFor(() => r.clock.pending() === 2, 'the SIGKILL timer beside STABLE_MS');
  await r.clock.advance(1_999);
  expect(await countChildrenWith(dir)).toBe(1);
  expect(d.ended()).toBe(false);
  await r.clock.advance(1);
  await d.done;
  expect(await countChildrenWith(dir)).toBe(0);
});

test('abort while the consumer holds a line and never resumes: journalctl, its timers and listeners are released', async () => {
  const r = journaldRig({ logPath: join(dir, 'journal'), journalctl: await printing([jsonEntry('c1', Date.now(), 'one')]) });
  expect((await r.it.next()).value?.message).toBe('one');
  r.ac.abort();
  await waitFor(async () => (await countChildrenWith(dir)) === 0, 'journalctl ended');
  await waitFor(() => r.clock.pending() === 0, 'no timer left');
  expect(getEventListeners(r.ac.signal, 'abort')).toHaveLength(0);
  await r.it.return?.(undefined);
});

test('a consumer that stops iterating (no abort) ends journalctl', async () => {
  const r = journaldRig({ logPath: join(dir, 'journal'), journalctl: await printing([jsonEntry('c1', Date.now(), 'one')]) });
  expect((await r.it.next()).value?.message).toBe('one');
  await r.it.return?.(undefined);
  expect(await countChildrenWith(dir)).toBe(0);
  expect(r.clock.pending()).toBe(0);
});

test('an aborted signal: no journalctl is run', async () => {
  const r = journaldRig({ logPath: join(dir, 'journal'), journalctl: await printing([jsonEntry('c1', Date.now(), 'one')]) });
  r.ac.abort();
  expect((await r.it.next()).done).toBe(true);
  expect(await journalctlRuns(dir)).toEqual([]);
});

test('an abort while journalctl is being started still ends the source and journalctl', async () => {
  for (let turns = 0; turns < 8; turns++) {
    const { d, ...r } = await onScript('while :; do sleep 0.1; done');
    for (let i = 0; i < turns; i++) await new Promise((resolve) => setImmediate(resolve));
    r.ac.abort();
    await waitFor(d.ended, `the end, aborted after ${turns} turns of the event loop`, 10_000);
  }
  expect(await countChildrenWith(dir)).toBe(0);
});
