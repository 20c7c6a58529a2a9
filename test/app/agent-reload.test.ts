/**
 * Reload without side effects, and one reader per input, for each source kind: an in-process agent
 * on a kmsg file, a kern.log and a real journal file. A valid edit of a monitor file re-reads the
 * configuration, not the history: the monitor keeps its place and a line is counted once however
 * many reloads happen. Two monitors on one input open it once and both see every line.
 */
import { appendFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { waitFor } from '../helpers/wait.js';
import { countChildrenWith } from '../helpers/child-processes.js';
import { appendJournal } from '../helpers/journal-files.js';
import { countOpenFdsUnder } from '../helpers/open-fds.js';
import { kernLogLine } from '../helpers/syslog.js';
import { hungLine, kmsgRecord, logMonitor, oomLine, startAgentFixture, startCrashedFdMonitor, type AgentFixture, type MonitorJson } from './agent-fixture.js';

/** One source kind: its monitor file and how to append a message to its input. */
interface Kind {
  readonly name: string;
  readonly monitor: (source: string) => MonitorJson;
  /** Creates the input (before the agent starts). */
  create(dir: string): Promise<void>;
  append(dir: string, messages: readonly string[]): Promise<void>;
  /** fds or child processes the agent holds on the input. */
  readers(dir: string): Promise<number>;
}

let seq = 0;
let bootMs = 0;
const kinds: Kind[] = [
  {
    name: 'kmsg',
    monitor: (source) => logMonitor(source, 'kmsg', '$DIR/kmsg'),
    create: (dir) => writeFile(join(dir, 'kmsg'), ''),
    append: (dir, messages) => appendFile(join(dir, 'kmsg'), messages.map((m) => kmsgRecord(++seq, Date.now(), bootMs, m)).join('')),
    readers: (dir) => countOpenFdsUnder(join(dir, 'kmsg')),
  },
  {
    name: 'filelog',
    monitor: (source) =>
      logMonitor(source, 'filelog', '$DIR/kern.log', {
        pluginConfig: { timestamp: '^.{15}', message: 'kernel: \\[\\s*\\d+\\.\\d+\\] (.*)', timestampFormat: 'Jan _2 15:04:05' },
      }),
    create: (dir) => writeFile(join(dir, 'kern.log'), ''),
    append: (dir, messages) => appendFile(join(dir, 'kern.log'), messages.map((m) => `${kernLogLine(m)}\n`).join('')),
    readers: (dir) => countOpenFdsUnder(join(dir, 'kern.log')),
  },
  {
    name: 'journald',
    monitor: (source) => logMonitor(source, 'journald', '$DIR/x.journal', { pluginConfig: { source: 'kernel' } }),
    // An entry older than the lookback: the journal file exists, nothing in it is read.
    create: (dir) => appendJournal(join(dir, 'x.journal'), [{ message: 'long ago', timeMs: Date.now() - 2 * 3_600_000 }]),
    append: (dir, messages) => appendJournal(join(dir, 'x.journal'), messages.map((message) => ({ message, timeMs: Date.now() }))),
    readers: (dir) => countChildrenWith(dir),
  },
];

let f: AgentFixture | undefined;
afterEach(async () => {
  await f?.stop();
  f = undefined;
});

const counted = (fx: AgentFixture, reason: string) => fx.metric('problem_counter', { reason });

describe.each(kinds)('$name', (kind) => {
  test('a valid edit reloads the rules, not the history: each line counted once across three reloads', async () => {
    f = await startAgentFixture({ monitors: { 'm.json': kind.monitor('kernel-monitor') }, before: (dir) => kind.create(dir) });
    const fx = f;
    bootMs = fx.bootMs;
    await kind.append(fx.dir, [oomLine]);
    await waitFor(async () => (await counted(fx, 'OOMKilling')) === 1, 'the OOM line counted');
    for (let i = 1; i <= 3; i++) {
      // A valid edit: one more rule. The monitor is rebuilt; its source did not change.
      const rules = [...(kind.monitor('kernel-monitor')['rules'] as unknown[]), { type: 'temporary', reason: `Edit${i}`, pattern: `edit ${i} .*` }];
      await fx.writeMonitor('m.json', { ...kind.monitor('kernel-monitor'), rules });
      expect(await fx.agent.reload()).toEqual({ ok: true });
      // A marker after the edit: once it is counted, a re-read of the OOM line before it would be too.
      await kind.append(fx.dir, [hungLine]);
      await waitFor(async () => (await counted(fx, 'TaskHung')) === i, `marker ${i} counted`);
      expect(await counted(fx, 'OOMKilling')).toBe(1);
    }
    // The new rule applies to lines after the reload; nothing was read twice.
    await kind.append(fx.dir, ['edit 3 applies', oomLine]);
    await waitFor(async () => (await counted(fx, 'OOMKilling')) === 2, 'the second OOM line');
    expect(await counted(fx, 'Edit3')).toBe(1);
    expect(await kind.readers(fx.dir)).toBe(1);
  });

  test('two monitors on one input: one reader, both see every line, and it stays one across a reload', async () => {
    f = await startAgentFixture({
      monitors: { 'a.json': kind.monitor('monitor-a'), 'b.json': { ...kind.monitor('monitor-b'), lookback: '1m' } },
      before: (dir) => kind.create(dir),
    });
    const fx = f;
    bootMs = fx.bootMs;
    const lines = (source: string) => fx.metric('npd_source_lines_read_total', { source });
    await kind.append(fx.dir, ['one', 'two', oomLine]);
    await waitFor(async () => (await lines('monitor-a')) === 3 && (await lines('monitor-b')) === 3, 'both monitors read 3 lines');
    expect(await counted(fx, 'OOMKilling')).toBe(2); // one per monitor
    expect(await kind.readers(fx.dir)).toBe(1);

    const rules = [...(kind.monitor('monitor-b')['rules'] as unknown[]), { type: 'temporary', reason: 'Edit', pattern: 'edit .*' }];
    await fx.writeMonitor('b.json', { ...kind.monitor('monitor-b'), lookback: '1m', rules });
    expect(await fx.agent.reload()).toEqual({ ok: true });
    await kind.append(fx.dir, [hungLine]);
    await waitFor(async () => (await lines('monitor-a')) === 4 && (await lines('monitor-b')) === 4, 'both monitors read the 4th line');
    expect(await counted(fx, 'OOMKilling')).toBe(2);
    expect(await kind.readers(fx.dir)).toBe(1);
  });
});

test('a monitor that stopped with an error is started again by a reload, though its file did not change', async () => {
  f = await startCrashedFdMonitor();
  const fx = f;
  const source = 'fd-custom-plugin-monitor';
  expect(fx.agent.health().monitors).toEqual([expect.objectContaining({ source, ok: false, detail: 'monitor stopped: clock unavailable' })]);
  expect(fx.agent.conditions()[source]).toBeUndefined();
  expect(fx.logger.records.filter((r) => r.msg === 'monitor stopped with an error')).toEqual([
    expect.objectContaining({ level: 'error', monitor: source, file: join(fx.dir, 'fd.json'), error: 'clock unavailable' }),
  ]);

  expect(await fx.agent.reload()).toEqual({ ok: true });
  await waitFor(() => fx.agent.conditions()[source]?.[0]?.type === 'FDPressure', 'the restarted monitor reporting its condition');
  expect(fx.agent.health().monitors).toEqual([expect.objectContaining({ source, ok: true })]);
});
