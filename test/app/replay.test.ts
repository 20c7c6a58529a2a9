import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runReplay } from '../../src/app/replay.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'npd-replay-'));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

async function monitor(plugin: 'filelog' | 'kmsg', extra: object = {}): Promise<string> {
  const file = join(dir, `${plugin}-monitor.json`);
  await writeFile(
    file,
    JSON.stringify({
      plugin,
      ...(plugin === 'filelog' ? { pluginConfig: { timestamp: '^.{15}', message: 'kernel: \\[\\s*\\d+\\.\\d+\\] (.*)', timestampFormat: 'Jan _2 15:04:05' } } : {}),
      logPath: '/dev/null',
      lookback: '5m',
      source: `${plugin}-monitor`,
      conditions: [{ type: 'KernelDeadlock', reason: 'KernelHasNoDeadlock', message: 'ok' }],
      rules: [
        { type: 'temporary', reason: 'OOMKilling', pattern: 'Killed process \\d+ .*' },
        { type: 'permanent', condition: 'KernelDeadlock', reason: 'DockerHung', pattern: 'task docker:\\w+ blocked for more than \\w+ seconds\\.' },
      ],
      ...extra,
    }),
  );
  return file;
}

describe('npd replay streams a file through the agent’s parts', () => {
  test('a text file over several 1 MiB reads and 64 KiB decodes: every problem, numbered by its row', async () => {
    const rows: string[] = [];
    const problems: number[] = [];
    for (let i = 0; i < 30_000; i++) {
      const problem = i % 2_999 === 1_000;
      if (problem) problems.push(i + 1);
      // Rows of varying length so that problem rows straddle chunk boundaries somewhere.
      rows.push(`Jan  2 03:04:05 node-1 kernel: [  ${i}.000000] ${problem ? `Killed process ${i} (python) total-vm:1kB` : `noise ${'x'.repeat(i % 97)}`}`);
    }
    const log = join(dir, 'kern.log');
    await writeFile(log, `${rows.join('\r\n')}\r\n`); // CRLF, as the filelog source reads it
    const result = await runReplay({ monitorFiles: [await monitor('filelog')], logFiles: [log], nowMs: Date.parse('2026-01-02T12:00:00Z') });
    const [file] = result.files;
    expect(file?.format).toBe('text');
    expect(file?.lines).toBe(30_000);
    expect(file?.problems.map((p) => p.lineNumbers[0])).toEqual(problems);
    expect(file?.problems.every((p) => p.reason === 'OOMKilling' && !(p.lines[0] as string).endsWith('\r'))).toBe(true);
  });

  test('kmsg records: continuation rows joined by the source’s framer, numbered by the record’s first row', async () => {
    const log = join(dir, 'kmsg.txt');
    await writeFile(
      log,
      ['6,1,1000000,-;hello', ' SUBSYSTEM=pci', ' DEVICE=+pci:0000:00:01.0', '', '3,2,2000000,-;task docker:abc blocked for more than 120 seconds.', '6,3,3000000,-;Killed process 7 (x) total-vm:1kB', ' SUBSYSTEM=mem', ''].join('\n'),
    );
    const result = await runReplay({ monitorFiles: [await monitor('kmsg')], logFiles: [log], bootTimeMs: 0 });
    const [file] = result.files;
    expect(file?.format).toBe('kmsg');
    expect(file?.lines).toBe(3);
    expect(file?.problems.map((p) => [p.reason, p.lineNumbers[0], p.change?.to])).toEqual([
      ['DockerHung', 5, 'True'],
      ['OOMKilling', 6, undefined],
    ]);
  });

  test('an expiry is placed before the line whose time made it due', async () => {
    const m = await monitor('filelog', { conditions: [{ type: 'KernelDeadlock', reason: 'KernelHasNoDeadlock', message: 'ok', expireAfter: '1m' }] });
    const log = join(dir, 'kern.log');
    await writeFile(
      log,
      [
        'Jan  2 03:04:05 node-1 kernel: [1.0] INFO: task docker:a blocked for more than 120 seconds.',
        'Jan  2 03:04:30 node-1 kernel: [2.0] noise',
        'Jan  2 03:06:00 node-1 kernel: [3.0] noise after the expiry',
        '',
      ].join('\n'),
    );
    const result = await runReplay({ monitorFiles: [m], logFiles: [log], nowMs: Date.parse('2026-01-02T12:00:00Z') });
    const changes = result.files[0]?.problems.map((p) => [p.rule?.type ?? 'expired', p.change?.to, p.lineNumbers[0]]);
    expect(changes).toEqual([
      ['permanent', 'True', 1],
      ['expired', 'False', undefined],
    ]);
  });

  test('a missing log file is a configuration error naming it', async () => {
    await expect(runReplay({ monitorFiles: [await monitor('filelog')], logFiles: [join(dir, 'nope.log')] })).rejects.toThrow(/nope\.log.*no such file/);
  });
});
