import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatCheckTable, runCheck, type CheckRow } from '../../src/app/check.js';
import { systemClock } from '../../src/core/clock.js';
import { createTestContext, procFixture } from '../probes/probe-context.js';

const monitorsDir = fileURLToPath(new URL('../../monitors/', import.meta.url));
const files = ['kernel-monitor.json', 'fd-monitor.json', 'pid-monitor.json', 'ntp-monitor.json', 'conntrack-monitor.json'].map((f) => join(monitorsDir, f));

describe('npd check', () => {
  test('a healthy node: table of every probe rule, exit 0, log monitors skipped', async () => {
    const ctx = createTestContext({ procRoot: procFixture('check-healthy'), clock: systemClock });
    const { exitCode, output } = await runCheck({ monitorFiles: files, ctx, json: false });
    expect(exitCode).toBe(0);
    const lines = output.split('\n');
    expect(lines[0]).toMatch(/^CHECK\s+STATUS\s+REASON\s+MESSAGE$/);
    expect(lines.slice(1, 5)).toEqual([
      expect.stringMatching(/^FDPressure\s+OK\s+NodeHasNoFDPressure\s+current fd is 2048 and max is 1048576, 0% used$/),
      expect.stringMatching(/^NodePIDPressure\s+OK\s+NodeHasNoPIDPressure\s+current pids is 300 and max is 63484, 0% used$/),
      expect.stringMatching(/^NTPProblem\s+OK\s+NTPIsUp\s+NTP service is running \(chronyd, pid 612\)$/),
      expect.stringMatching(/^event ConntrackFull\s+OK\s+ConntrackFull\s+Conntrack table usage 0%: 512 out of 262144$/),
    ]);
    expect(lines.at(-1)).toBe('4 checks: 0 problems, 0 unknown');
    expect(output).not.toContain('KernelDeadlock');
  });
  test('a node with problems: exit 1, JSON with each outcome', async () => {
    const ctx = createTestContext({ procRoot: procFixture('check-problems'), clock: systemClock });
    const { exitCode, output } = await runCheck({ monitorFiles: files, ctx, json: true });
    expect(exitCode).toBe(1);
    const doc = JSON.parse(output) as { problems: number; results: { name: string; status: string; reason: string; message: string; cause?: string; kind: string }[] };
    expect(doc.problems).toBe(3);
    expect(doc.results.map((r) => [r.kind, r.name, r.status, r.reason])).toEqual([
      ['condition', 'FDPressure', 'problem', 'NodeHasFDPressure'],
      ['condition', 'NodePIDPressure', 'unknown', 'NodeHasNoPIDPressure'],
      ['condition', 'NTPProblem', 'problem', 'NTPIsDown'],
      ['event', 'ConntrackFull', 'problem', 'ConntrackFull'],
    ]);
    expect(doc.results[0]?.message).toBe('current fd is 1000000 and max is 1048576, 95% used');
    expect(doc.results[1]?.cause).toBe('Unparsable');
    expect(doc.results[3]?.message).toBe('Conntrack table usage over 90%: 250000 out of 262144');
  });
  test('checks that could not run (missing inputs), no problem: exit 3', async () => {
    const ctx = createTestContext({ procRoot: procFixture('does-not-exist'), clock: systemClock });
    const { exitCode, output } = await runCheck({ monitorFiles: files, ctx, json: false });
    expect(exitCode).toBe(3);
    expect(output.split('\n').at(-1)).toBe('4 checks: 0 problems, 4 unknown');
  });
  test('a bad monitor file is a ConfigError', async () => {
    const ctx = createTestContext({ clock: systemClock });
    await expect(runCheck({ monitorFiles: [join(monitorsDir, 'no-such-monitor.json')], ctx, json: false })).rejects.toMatchObject({ code: 'ERR_MONITOR_CONFIG' });
  });

  test('one rule at a time (concurrency 1) still runs every rule', async () => {
    const ctx = createTestContext({ procRoot: procFixture('check-healthy'), clock: systemClock });
    const { exitCode, output } = await runCheck({ monitorFiles: files, ctx, json: false, concurrency: 1 });
    expect(exitCode).toBe(0);
    expect(output.split('\n').at(-1)).toBe('4 checks: 0 problems, 0 unknown');
  });
  describe('with files of its own', () => {
    let dir: string;
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'npd-check-'));
    });
    afterEach(async () => rm(dir, { recursive: true, force: true }));

    test('one check unknown, the others OK: exit 3, the unknown one counted', async () => {
      const proc = join(dir, 'proc');
      await cp(procFixture('check-healthy'), proc, { recursive: true });
      await rm(join(proc, 'sys/fs/file-nr'));
      const ctx = createTestContext({ procRoot: proc, clock: systemClock });
      const { exitCode, output } = await runCheck({ monitorFiles: files, ctx, json: false });
      expect(exitCode).toBe(3);
      expect(output).toMatch(/^FDPressure\s+UNKNOWN\s+NodeHasNoFDPressure\s/m);
      expect(output.split('\n').at(-1)).toBe('4 checks: 0 problems, 1 unknown');
    });

    test("a rule that finds no problem shows its own condition's default reason, not another's", async () => {
      const file = join(dir, 'two-conditions.json');
      const conditions = [
        { type: 'NodePIDPressure', reason: 'NodeHasNoPIDPressure', message: 'ok' },
        { type: 'FDPressure', reason: 'NodeHasNoFDPressure', message: 'ok' },
      ];
      const rules = [{ type: 'permanent', condition: 'FDPressure', reason: 'NodeHasFDPressure', probe: 'fd', options: { thresholdPercent: 80 } }];
      await writeFile(file, JSON.stringify({ plugin: 'custom', source: 'two', conditions, rules }));
      const ctx = createTestContext({ procRoot: procFixture('check-healthy'), clock: systemClock });
      const { output } = await runCheck({ monitorFiles: [file], ctx, json: true });
      expect((JSON.parse(output) as { results: { reason: string }[] }).results.map((r) => r.reason)).toEqual(['NodeHasNoFDPressure']);
    });

    test('a rule naming a probe that does not exist is a ConfigError naming it', async () => {
      const file = join(dir, 'bad-probe.json');
      const rules = [{ type: 'temporary', reason: 'Nope', probe: 'no-such-probe' }];
      await writeFile(file, JSON.stringify({ plugin: 'custom', source: 'bad', rules }));
      const ctx = createTestContext({ procRoot: procFixture('check-healthy'), clock: systemClock });
      await expect(runCheck({ monitorFiles: [file], ctx, json: false })).rejects.toThrow(/no-such-probe/);
    });
  });
});

describe('the check table', () => {
  const row = (over: Partial<CheckRow>): CheckRow => ({ source: 's', file: 'f.json', kind: 'condition', name: 'FDPressure', status: 'ok', reason: 'NodeHasNoFDPressure', message: 'fine', ...over });
  test('columns padded to their longest cell, messages on one line, problems and unknowns counted', () => {
    const table = formatCheckTable([
      row({}),
      row({ kind: 'event', name: 'ConntrackFull', status: 'problem', reason: 'ConntrackFull', message: 'table\n   usage 95%' }),
      row({ name: 'NTPProblem', status: 'unknown', reason: 'NTPIsUp', message: 'no chronyd  ' }),
    ]);
    expect(table.split('\n')).toEqual([
      'CHECK                STATUS   REASON               MESSAGE',
      'FDPressure           OK       NodeHasNoFDPressure  fine',
      'event ConntrackFull  PROBLEM  ConntrackFull        table usage 95%',
      'NTPProblem           UNKNOWN  NTPIsUp              no chronyd',
      '',
      '3 checks: 1 problem, 1 unknown',
    ]);
  });
});

