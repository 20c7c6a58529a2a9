import { EventEmitter } from 'node:events';
import { appendFileSync, copyFileSync, renameSync, rmSync, truncateSync, watch, writeFileSync } from 'node:fs';
import type { FSWatcher } from 'node:fs';
import { appendFile, mkdir, mkdtemp, rm, rmdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../../src/core/clock.js';
import type { Clock } from '../../src/core/clock.js';
import { ConfigError } from '../../src/core/errors.js';
import { createMemoryLogger } from '../../src/core/logger.js';
import { createFilelogSource } from '../../src/sources/filelog.js';
import { createLineSplitter } from '../../src/sources/line-splitter.js';
import type { FilelogSourceOptions } from '../../src/sources/filelog.js';
import type { WatchFn } from '../../src/sources/filelog-wake.js';
import type { LogLine, SourceConfig } from '../../src/sources/log-source.js';
import { takeNext } from '../helpers/async-lines.js';
import { waitFor } from '../helpers/wait.js';
import { countOpenFdsUnder } from '../helpers/open-fds.js';
import { createRecordingTelemetry } from '../helpers/recording-telemetry.js';
import { runLogSourceContract } from './log-source.contract.js';

const config = (logPath: string, lookbackMs = 5 * 60_000, pluginConfig: Record<string, string> = {}): SourceConfig => ({
  plugin: 'filelog', file: 'kernel-monitor-filelog.json', source: 'kernel-monitor', logPath, lookbackMs, delayMs: 0, pluginConfig,
});
const rfcLine = (timeMs: number, message: string): string => `${new Date(timeMs).toISOString()} node-1 kernel: ${message}\n`;

function setup(path: string, lookbackMs?: number, pluginConfig?: Record<string, string>, options: FilelogSourceOptions = { pollMs: 5 }) {
  const telemetry = createRecordingTelemetry();
  const logger = createMemoryLogger();
  // The real clock, counting waits, so a test can tell when the loop is idle at the end of the file.
  let sleeps = 0;
  const clock: Clock = { now: () => Date.now(), sleep: (ms, signal) => (sleeps++, systemClock.sleep(ms, signal)) };
  const source = createFilelogSource(config(path, lookbackMs, pluginConfig), { clock, logger, telemetry, bootTimeMs: Date.now() - 3_600_000, random: () => 0.5 }, options);
  return { source, telemetry, logger, sleeps: () => sleeps };
}

runLogSourceContract('filelog', async ({ lookbackMs, broken }) => {
  const dir = await mkdtemp(join(tmpdir(), 'npd-filelog-'));
  const path = join(dir, 'kern.log');
  if (broken) await mkdir(path); // open() works on a directory, read() fails with EISDIR
  else await writeFile(path, '');
  const { source, telemetry } = setup(path, lookbackMs);
  return {
    source, counts: telemetry.counts, nowMs: Date.now(),
    write: async (entries) => appendFile(path, entries.map((e) => rfcLine(e.timeMs, e.message)).join('')),
    repair: async () => {
      await rmdir(path);
      await writeFile(path, '');
    },
    openResources: () => countOpenFdsUnder(dir),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
});

describe('filelog source', () => {
  let dir: string;
  beforeEach(async () => void (dir = await mkdtemp(join(tmpdir(), 'npd-filelog-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  test('batches: a file of several 64 KiB chunks comes as a few batches, same lines as lines(), counted once each', async () => {
    const path = join(dir, 'big.log');
    const n = 5000;
    const now = Date.now();
    writeFileSync(path, Array.from({ length: n }, (_, i) => rfcLine(now, `line ${i} ${'x'.repeat(40)}`)).join(''));
    const read = async (how: 'batches' | 'lines'): Promise<{ messages: string[]; batches: number; counted: number }> => {
      const s = setup(path);
      const ac = new AbortController();
      const messages: string[] = [];
      let batches = 0;
      if (how === 'batches') {
        for await (const b of (s.source.batches as NonNullable<typeof s.source.batches>)(ac.signal)) {
          expect(b.length).toBeGreaterThan(0);
          batches++;
          messages.push(...b.map((l) => l.message));
          if (messages.length >= n) ac.abort();
        }
      } else {
        for await (const l of s.source.lines(ac.signal)) {
          messages.push(l.message);
          if (messages.length >= n) ac.abort();
        }
      }
      return { messages, batches, counted: s.telemetry.counts.linesRead };
    };
    const byBatch = await read('batches');
    const byLine = await read('lines');
    expect(byBatch.messages).toEqual(byLine.messages);
    expect(byBatch.messages).toEqual(Array.from({ length: n }, (_, i) => `line ${i} ${'x'.repeat(40)}`));
    expect(byBatch.batches).toBeGreaterThan(1);
    expect(byBatch.batches).toBeLessThan(n / 100);
    expect([byBatch.counted, byLine.counted]).toEqual([n, n]);
  });

  test('a file of several 1 MiB reads: every line exact (é split across pieces), batches of at most 64 KiB of text', async () => {
    const path = join(dir, 'big-utf8.log');
    const n = 30_000; // ~3 MB
    const now = Date.now();
    const msg = (i: number): string => `line ${i} é ${'z'.repeat(i % 50)} ü`;
    writeFileSync(path, Array.from({ length: n }, (_, i) => rfcLine(now, msg(i))).join(''));
    const s = setup(path);
    const ac = new AbortController();
    const got: string[] = [];
    let largest = 0;
    for await (const b of (s.source.batches as NonNullable<typeof s.source.batches>)(ac.signal)) {
      largest = Math.max(largest, b.reduce((sum, l) => sum + Buffer.byteLength(l.message) + 40, 0));
      got.push(...b.map((l) => l.message));
      if (got.length >= n) ac.abort();
    }
    expect(got).toEqual(Array.from({ length: n }, (_, i) => msg(i)));
    // Each batch is the lines of one 64 KiB piece (message bytes + ~40 bytes of prefix per line).
    expect(largest).toBeLessThanOrEqual(64 * 1024 + 200);
  });

  test('bad pluginConfig is a ConfigError at creation', () => {
    expect(() => setup(join(dir, 'x'), 1000, { timestamp: '(', message: 'x', timestampFormat: 'Jan _2 15:04:05' })).toThrow(ConfigError);
  });

  test('missing file at start: waits (health says so), then reads it', async () => {
    const path = join(dir, 'later.log');
    const s = setup(path);
    const ac = new AbortController();
    const it = s.source.lines(ac.signal)[Symbol.asyncIterator]();
    const got = takeNext(it, 1);
    await waitFor(() => s.source.health().detail.includes('waiting'));
    expect(s.source.health().alive).toBe(false);
    writeFileSync(path, rfcLine(Date.now(), 'hello'));
    expect((await got)[0]?.message).toBe('hello');
    expect(s.source.health().alive).toBe(true);
    ac.abort();
    await it.return?.();
  });

  test('NPD kernel config: reads from offset 0 and drops old lines', async () => {
    const path = join(dir, 'kern.log');
    const stamp = (d: Date): string => d.toString().slice(4, 10).replace(/ 0(\d)$/, '  $1') + d.toString().slice(15, 24);
    const now = new Date();
    writeFileSync(path, `${stamp(new Date(now.getTime() - 3_600_000))} h kernel: [1.0] old\n${stamp(now)} h kernel: [2.0] new\n${stamp(now)} h kernel: [3.0 cut\n${stamp(now)} h kernel: [4.0] after\n`);
    const s = setup(path, 5 * 60_000, { timestamp: '^.{15}', message: 'kernel: \\[.*\\] (.*)', timestampFormat: 'Jan _2 15:04:05' });
    const ac = new AbortController();
    const it = s.source.lines(ac.signal)[Symbol.asyncIterator]();
    expect((await takeNext(it, 2)).map((l) => l.message)).toEqual(['new', 'after']);
    expect(s.telemetry.counts.skipped.unparsable).toBe(1);
    expect(s.telemetry.counts.skipped.old).toBe(1);
    ac.abort();
    await it.return?.();
  });

  test('hostile input: 5 MB line, binary bytes, invalid UTF-8, a char split across writes', async () => {
    const path = join(dir, 'h.log');
    const now = Date.now();
    writeFileSync(path, Buffer.concat([
      Buffer.from(rfcLine(now, 'first')),
      Buffer.from('y'.repeat(5 * 1024 * 1024)),
      Buffer.from([0x0a, 0x00, 0x01, 0xff, 0xfe]), Buffer.from(' binary\n'),
      Buffer.from(`${new Date(now).toISOString()} h kernel: bad `), Buffer.from([0xc3, 0x28]), Buffer.from('\n'),
      Buffer.from(`${new Date(now).toISOString()} h kernel: euro `), Buffer.from([0xe2, 0x82]),
    ]));
    const s = setup(path);
    const ac = new AbortController();
    const it = s.source.lines(ac.signal)[Symbol.asyncIterator]();
    const lines = await takeNext(it, 4);
    expect(lines[0]?.message).toBe('first');
    expect(lines[1]?.message).toHaveLength(256 * 1024);
    expect(lines[2]?.message).toBe('\x00\x01\uFFFD\uFFFD binary');
    expect(lines[3]?.message).toBe('bad \uFFFD(');
    expect(s.logger.records.filter((r) => r.msg === 'line too long, cut')).toHaveLength(1);
    appendFileSync(path, Buffer.from([0xac, 0x0a]));
    expect((await takeNext(it, 1))[0]?.message).toBe('euro €');
    ac.abort();
    await it.return?.();
  });

  test('rotation: ≥ 20 rename+recreate and ≥ 20 copytruncate, every line exactly once, in order', async () => {
    const path = join(dir, 'kern.log');
    writeFileSync(path, '');
    const s = setup(path);
    const ac = new AbortController();
    const got: number[] = [];
    const reader = (async () => {
      for await (const l of s.source.lines(ac.signal)) got.push(Number(/line (\d+)$/.exec((l as LogLine).message)?.[1]));
    })();
    // The file must be open before the first rename, or lines 0..25 are in a file it never saw.
    await waitFor(() => s.source.health().detail.startsWith('reading'), 'file opened', 20_000);
    const total = 1050;
    const every = 25;
    let renames = 0;
    let truncates = 0;
    const truncatesSeen = (): number => s.logger.records.filter((r) => r.msg.includes('truncated')).length;
    for (let i = 0; i < total; i++) {
      if (i > 0 && i % every === 0) {
        if ((i / every) % 2 === 1) {
          // rename + recreate in one synchronous step, with late writes to the renamed file (a
          // daemon that has not reopened yet): the tailer must read the rest of the old file.
          renameSync(path, `${path}.${++renames}`);
          appendFileSync(`${path}.${renames}`, rfcLine(Date.now(), `line ${i}`));
          i++;
          writeFileSync(path, '');
        } else {
          // copytruncate. logrotate itself loses what is written between its copy and its truncate,
          // and no tailer can tell "truncated, then grew past my offset" from "grew", so the writer
          // cooperates: it pauses until the tailer has read everything, and resumes once the tailer
          // has noticed the truncation. What remains is what the tailer controls.
          const want = i;
          await waitFor(() => got.length === want, `reader at ${want}`, 20_000);
          const before = truncatesSeen();
          copyFileSync(path, `${path}.${++truncates}c`);
          truncateSync(path, 0);
          await waitFor(() => truncatesSeen() > before, 'truncation noticed', 20_000);
        }
      }
      appendFileSync(path, rfcLine(Date.now(), `line ${i}`));
      if (i % 3 === 0) await new Promise((r) => setImmediate(r));
    }
    await waitFor(() => got.length >= total, 'all lines', 30_000);
    ac.abort();
    await reader;
    expect(renames).toBeGreaterThanOrEqual(20);
    expect(truncates).toBeGreaterThanOrEqual(20);
    expect(got).toEqual(Array.from({ length: total }, (_, k) => k));
    expect(s.telemetry.counts.restarts).toBe(0);
  });
});

describe('filelog early wake (fs.watch)', () => {
  let dir: string;
  beforeEach(async () => void (dir = await mkdtemp(join(tmpdir(), 'npd-filelog-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));
  // With a 60 s poll and a 20 s deadline, a line can only arrive through the watch.
  const slowPoll = { pollMs: 60_000 };

  test.each([
    ['append', (path: string) => appendFileSync(path, rfcLine(Date.now(), 'woken'))],
    ['rename + recreate', (path: string) => {
      renameSync(path, `${path}.1`);
      writeFileSync(path, rfcLine(Date.now(), 'woken'));
    }],
    ['file appears', (path: string) => {
      rmSync(path);
      writeFileSync(path, rfcLine(Date.now(), 'woken'));
    }],
  ])('%s while the loop waits: the line arrives long before the poll', async (_name, change) => {
    const path = join(dir, 'kern.log');
    writeFileSync(path, rfcLine(Date.now(), 'first'));
    const s = setup(path, undefined, undefined, slowPoll);
    const ac = new AbortController();
    const it = s.source.lines(ac.signal)[Symbol.asyncIterator]();
    expect((await takeNext(it, 1))[0]?.message).toBe('first');
    const next = takeNext(it, 1, 20_000);
    await waitFor(() => s.sleeps() >= 1, 'loop waiting at the end of the file', 20_000);
    change(path);
    expect((await next)[0]?.message).toBe('woken');
    ac.abort();
    await it.return?.();
  }, 30_000);

  test('watch closed on abort', async () => {
    const path = join(dir, 'kern.log');
    writeFileSync(path, '');
    let opened = 0;
    let closed = 0;
    const counting: WatchFn = (d, o, l) => {
      opened++;
      const w = watch(d, o, l);
      const close = w.close.bind(w);
      w.close = () => (closed++, close());
      return w;
    };
    const s = setup(path, undefined, undefined, { pollMs: 60_000, watch: counting });
    const ac = new AbortController();
    const reader = (async () => {
      for await (const _ of s.source.lines(ac.signal));
    })();
    await waitFor(() => s.sleeps() >= 1, 'loop waiting', 20_000);
    ac.abort();
    await reader;
    expect([opened, closed]).toEqual([1, 1]);
  });

  test.each([
    ['fs.watch throws', (): FSWatcher => {
      throw Object.assign(new Error('ENOSPC: inotify watches exhausted'), { code: 'ENOSPC' });
    }],
    ['the watcher emits error', (): FSWatcher => {
      const w = new EventEmitter() as unknown as FSWatcher;
      w.close = () => {};
      setImmediate(() => w.emit('error', new Error('EMFILE')));
      return w;
    }],
  ])('%s: warned once, the poll still delivers every line', async (_name, broken) => {
    const path = join(dir, 'kern.log');
    writeFileSync(path, '');
    const s = setup(path, undefined, undefined, { pollMs: 5, watch: broken });
    const ac = new AbortController();
    const it = s.source.lines(ac.signal)[Symbol.asyncIterator]();
    for (let i = 0; i < 3; i++) {
      const next = takeNext(it, 1);
      await waitFor(() => s.sleeps() >= 5 * (i + 1), 'several polls', 20_000);
      appendFileSync(path, rfcLine(Date.now(), `line ${i}`));
      expect((await next)[0]?.message).toBe(`line ${i}`);
    }
    expect(s.logger.records.filter((r) => r.msg === 'file watch unavailable, polling only')).toHaveLength(1);
    expect(s.logger.records.find((r) => r.level === 'warn')?.['path']).toBe(path);
    ac.abort();
    await it.return?.();
  });
});

describe('createLineSplitter', () => {
  test.each([
    ['lines across pushes', ['a\nb', 'c\nd'], ['a', 'bc'], 'd'],
    ['CRLF', ['a\r\nb\r\n'], ['a', 'b'], ''],
    ['cut at max, rest dropped up to newline', ['abcdefgh', 'ij\nk\n'], ['abcd', 'k'], ''],
    ['cut within one push', ['abcdef\nx\n'], ['abcd', 'x'], ''],
  ])('%s', (_name, pushes, want, rest) => {
    let cuts = 0;
    const sp = createLineSplitter(4, () => cuts++);
    expect(pushes.flatMap((p) => sp.push(p))).toEqual(want);
    expect(sp.takePartial()).toBe(rest);
    expect(cuts).toBe(want.some((w) => w === 'abcd') ? 1 : 0);
  });
});
