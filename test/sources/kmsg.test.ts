import { execFileSync } from 'node:child_process';
import { open } from 'node:fs/promises';
import { appendFile, mkdir, mkdtemp, rm, rmdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createManualClock, systemClock, type Clock } from '../../src/core/clock.js';
import { createMemoryLogger } from '../../src/core/logger.js';
import { createKmsgSource, type KmsgHandle, type KmsgSourceOptions } from '../../src/sources/kmsg.js';
import type { LogLine, SourceConfig } from '../../src/sources/log-source.js';
import { takeNext } from '../helpers/async-lines.js';
import { waitFor } from '../helpers/wait.js';
import { readCorpusLines } from '../helpers/fixtures.js';
import { errno, fakeKmsgDevice as fakeDevice, rec } from '../helpers/fake-kmsg.js';
import { countOpenFdsUnder } from '../helpers/open-fds.js';
import { createRecordingTelemetry } from '../helpers/recording-telemetry.js';
import { runLogSourceContract } from './log-source.contract.js';

const config = (logPath: string, lookbackMs = Number.POSITIVE_INFINITY): SourceConfig => ({
  plugin: 'kmsg', file: 'kernel-monitor.json', source: 'kernel-monitor', logPath, lookbackMs, delayMs: 0, pluginConfig: {},
});

function setup(logPath: string, opts: { clock?: Clock; bootTimeMs?: number; lookbackMs?: number; options?: KmsgSourceOptions } = {}) {
  const telemetry = createRecordingTelemetry();
  const logger = createMemoryLogger();
  const clock = opts.clock ?? systemClock;
  const source = createKmsgSource(config(logPath, opts.lookbackMs), { clock, logger, telemetry, bootTimeMs: opts.bootTimeMs ?? 0, random: () => 0.5 }, { pollMs: 20, ...opts.options });
  return { source, telemetry, logger };
}

runLogSourceContract('kmsg', async ({ lookbackMs, broken }) => {
  const dir = await mkdtemp(join(tmpdir(), 'npd-kmsg-'));
  const path = join(dir, 'kmsg');
  const nowMs = Date.now();
  const bootTimeMs = nowMs - 3_600_000;
  if (broken) await mkdir(path); // read() on a directory fails with EISDIR
  else await writeFile(path, '');
  let seq = 100;
  const { source, telemetry } = setup(path, { bootTimeMs, lookbackMs });
  return {
    source, counts: telemetry.counts, nowMs,
    write: async (entries) => appendFile(path, entries.map((e) => `6,${seq++},${(e.timeMs - bootTimeMs) * 1000},-;${e.message}\n`).join('')),
    repair: async () => {
      await rmdir(path);
      await writeFile(path, '');
    },
    openResources: () => countOpenFdsUnder(dir),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
});

async function readAll(text: string, n: number, bootTimeMs = 1_000_000) {
  const dir = await mkdtemp(join(tmpdir(), 'npd-kmsg-'));
  const path = join(dir, 'kmsg');
  await writeFile(path, text);
  const s = setup(path, { bootTimeMs });
  const ac = new AbortController();
  const it = s.source.lines(ac.signal)[Symbol.asyncIterator]();
  try {
    const lines = await takeNext(it, n);
    return { lines, ...s };
  } finally {
    ac.abort();
    await it.return?.(); // runs the source's cleanup (closes the file)
    await rm(dir, { recursive: true, force: true });
  }
}

describe('kmsg source on corpus records', () => {
  test('npd problems: every record, continuation lines as fields (NPD #1086)', async () => {
    const file = readCorpusLines('kmsg', 'kmsg-raw-npd-problems-synthetic-framing.log');
    const records = file.filter((l) => !l.startsWith(' '));
    const { lines, telemetry } = await readAll(`${file.join('\n')}\n`, records.length);
    expect(lines.map((l) => l.message)).toEqual(records.map((r) => r.slice(r.indexOf(';') + 1).trim()));
    const down = lines.find((l) => l.message.endsWith('Link down'));
    expect(down?.message).toBe('mlx5_core 0000:4b:00.0 enp75s0np0: Link down');
    expect(down?.fields).toEqual({ SUBSYSTEM: 'pci', DEVICE: '+pci:0000:4b:00.0' });
    expect(lines.find((l) => l.message.startsWith('divide error'))?.message).toBe('divide error: 0000 [#1] SMP');
    expect(lines[0]?.time.getTime()).toBe(1_000_000 + 5_123_456);
    expect(telemetry.counts.kmsgLost).toBe(0);
  });

  test.each([
    ['kmsg-raw-go-kmsg-parser-sample1.log', 3, 845],
    ['kmsg-raw-linux-doc-dev-kmsg.log', 3, 178],
  ])('%s: sequence gaps counted as lost records', async (name, n, lost) => {
    const { lines, telemetry, logger } = await readAll(`${readCorpusLines('kmsg', name).join('\n')}\n`, n);
    expect(lines).toHaveLength(n);
    expect(telemetry.counts.kmsgLost).toBe(lost);
    expect(logger.records.some((r) => r.level === 'warn' && r.msg.includes('lost'))).toBe(true);
  });

  test('hostile input: 5 MB line, binary bytes, invalid UTF-8 → keeps going', async () => {
    const text = Buffer.concat([
      Buffer.from('6,1,1000,-;first\n'),
      Buffer.from(`6,2,1000,-;${'x'.repeat(5 * 1024 * 1024)}`), // no newline for 5 MB
      Buffer.from('\n\x00\x01\x02\xff\xfe binary\n'),
      Buffer.from('6,3,1000,-;bad '), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from(' utf8\n'),
      Buffer.from('6,4,1000,-;last\n'),
    ]);
    const dir = await mkdtemp(join(tmpdir(), 'npd-kmsg-'));
    await writeFile(join(dir, 'kmsg'), text);
    const s = setup(join(dir, 'kmsg'));
    const ac = new AbortController();
    const it = s.source.lines(ac.signal)[Symbol.asyncIterator]();
    const lines = await takeNext(it, 3);
    ac.abort();
    await it.return?.();
    await rm(dir, { recursive: true, force: true });
    expect(lines.map((l) => l.message)).toEqual(['first', 'bad \uFFFD(\uFFFD utf8', 'last']);
    expect(s.telemetry.counts.skipped.unparsable).toBe(1);
  });
});

describe('kmsg source on corpus records read from a (fake) device, one record per read', () => {
  test.each([
    ['kmsg-raw-npd-problems-synthetic-framing.log', undefined],
    ['kmsg-raw-go-kmsg-parser-sample1.log', 3],
    ['kmsg-raw-linux-doc-dev-kmsg.log', 3],
  ])('%s: the lines, fields and gaps a file of the same records gives', async (name, count) => {
    // The synthetic framing file has records with dictionary lines (fields), read as part of their record.
    const file = readCorpusLines('kmsg', name);
    // A read of the device returns one record with its ` KEY=value` lines, each ending in a newline.
    const records: string[] = [];
    for (const l of file) {
      if (l.startsWith(' ') && records.length > 0) records[records.length - 1] += `${l}\n`;
      else if (l !== '') records.push(`${l}\n`);
    }
    const n = count ?? records.length;
    const fromFile = await readAll(`${file.join('\n')}\n`, n);
    const dev = fakeDevice([records]);
    const s = setup('/dev/kmsg', { bootTimeMs: 1_000_000, options: { open: dev.open } });
    const ac = new AbortController();
    const it = s.source.lines(ac.signal)[Symbol.asyncIterator]();
    try {
      expect(await takeNext(it, n)).toEqual(fromFile.lines);
    } finally {
      ac.abort();
      await it.return?.();
    }
    expect(s.telemetry.counts.kmsgLost).toBe(fromFile.telemetry.counts.kmsgLost);
    expect(dev.reads()).toBeGreaterThanOrEqual(records.length);
  });
});

describe('kmsg source on a (fake) device', () => {
  test('EAGAIN: waits one poll on the clock, then reads what arrived', async () => {
    const clock = createManualClock();
    const dev = fakeDevice([[rec(1, 'a')]]);
    const s = setup('/dev/kmsg', { clock, options: { open: dev.open, pollMs: 300 } });
    const ac = new AbortController();
    const it = s.source.lines(ac.signal)[Symbol.asyncIterator]();
    expect((await it.next()).value?.message).toBe('a');
    const next = it.next();
    let arrived: LogLine | undefined;
    void next.then((r) => void (arrived = r.value));
    await clock.advance(0);
    dev.push(rec(2, 'b'));
    await clock.advance(299);
    expect(arrived).toBeUndefined();
    await clock.advance(1);
    expect((await next).value?.message).toBe('b');
    ac.abort();
    await clock.advance(1000);
    expect((await it.next()).done).toBe(true);
    expect(dev.closed()).toBe(dev.opens());
  });

  test('a flood is drained in bounded batches, in order, with an event-loop turn between them', async () => {
    const n = 3000;
    const dev = fakeDevice([Array.from({ length: n }, (_, i) => rec(i + 1, `m${i + 1}`))]);
    const s = setup('/dev/kmsg', { options: { open: dev.open } });
    const ac = new AbortController();
    const sizes: number[] = [];
    const messages: string[] = [];
    /** How many timer callbacks had run when each batch arrived (timers need a turn of the loop). */
    const turnsAtBatch: number[] = [];
    let turns = 0;
    const ticker = setInterval(() => void turns++, 0);
    try {
      for await (const batch of s.source.batches?.(ac.signal) ?? []) {
        sizes.push(batch.length);
        turnsAtBatch.push(turns);
        messages.push(...batch.map((l) => l.message));
        if (messages.length >= n) break;
      }
    } finally {
      clearInterval(ticker);
      ac.abort();
    }
    expect(messages).toEqual(Array.from({ length: n }, (_, i) => `m${i + 1}`));
    expect(sizes.length).toBeGreaterThan(1);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(512);
    // Each full batch is followed by a turn of the event loop: timers fire between batches.
    expect(turnsAtBatch[turnsAtBatch.length - 1]).toBeGreaterThan(turnsAtBatch[0] as number);
    expect(s.telemetry.counts.linesRead).toBe(n);
    expect(s.telemetry.counts.kmsgLost).toBe(0);
  });

  test('EPIPE: keeps reading; the sequence gap is counted', async () => {
    const dev = fakeDevice([[rec(1, 'a'), errno('EPIPE'), rec(5, 'e')]]);
    const s = setup('/dev/kmsg', { options: { open: dev.open } });
    const ac = new AbortController();
    const lines = await takeNext(s.source.lines(ac.signal)[Symbol.asyncIterator](), 2);
    ac.abort();
    expect(lines.map((l) => l.message)).toEqual(['a', 'e']);
    expect(s.telemetry.counts.kmsgLost).toBe(3);
    expect(s.telemetry.counts.restarts).toBe(0);
  });

  test('EPIPE while waiting for the device to be readable: reopens at once, skips what it saw, counts the gap', async () => {
    const clock = createManualClock();
    const dev = fakeDevice([[rec(1, 'a')], [rec(1, 'a'), rec(4, 'd')]]);
    let waits = 0;
    const open = async (path: string): Promise<KmsgHandle> => {
      const h = await dev.open(path);
      // The first handle's wait fails as libuv's read does when records were overwritten.
      const first = dev.opens() === 1;
      return { ...h, readable: async () => (waits++, first ? Promise.reject(errno('EPIPE')) : new Promise<Buffer>(() => {})) };
    };
    const s = setup('/dev/kmsg', { clock, options: { open } });
    const ac = new AbortController();
    const lines = await takeNext(s.source.lines(ac.signal)[Symbol.asyncIterator](), 2);
    ac.abort();
    expect(lines.map((l) => l.message)).toEqual(['a', 'd']);
    expect(dev.opens()).toBe(2);
    expect(waits).toBeGreaterThanOrEqual(1);
    expect(clock.pending()).toBe(0); // no back-off sleep, no poll timer
    expect(s.telemetry.counts.restarts).toBe(0); // an overwrite is not a failure
    expect(s.telemetry.counts.kmsgLost).toBe(2);
  });

  test('read error: reopens with backoff, skips records already seen (no loss, no repeat)', async () => {
    const clock = createManualClock();
    const dev = fakeDevice([
      [rec(1, 'a'), rec(2, 'b'), errno('EIO')],
      [rec(1, 'a'), rec(2, 'b'), rec(3, 'c'), rec(4, 'd')],
    ]);
    const s = setup('/dev/kmsg', { clock, options: { open: dev.open } });
    const ac = new AbortController();
    const it = s.source.lines(ac.signal)[Symbol.asyncIterator]();
    const got = takeNext(it, 4);
    await waitFor(() => s.telemetry.counts.restarts === 1);
    expect(s.source.health()).toMatchObject({ alive: false, restarts: 1 });
    expect(s.source.health().detail).toMatch(/EIO; reopening in \d+ms/);
    await clock.advance(30_000);
    expect((await got).map((l) => l.message)).toEqual(['a', 'b', 'c', 'd']);
    expect(s.source.health().alive).toBe(true);
    expect(dev.opens()).toBe(2);
    expect(s.telemetry.counts.kmsgLost).toBe(0);
    ac.abort();
  });
});

describe('kmsg source on a FIFO (a pollable fd, as /dev/kmsg)', () => {
  test('waits on epoll, not on the clock, and reads records written later in order', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'npd-kmsg-fifo-'));
    const fifo = join(dir, 'kmsg');
    execFileSync('mkfifo', [fifo]);
    const writer = await open(fifo, 'r+'); // a writer stays: the reader sees EAGAIN, not the end
    const clock = createManualClock();
    const limit = Error.stackTraceLimit;
    // No pacing: the manual clock stands still, so records read apart look like a flood (kmsg-pace.ts).
    const s = setup(fifo, { clock, bootTimeMs: 1_000_000, options: { coalesceMs: 0 } });
    const ac = new AbortController();
    const it = s.source.lines(ac.signal)[Symbol.asyncIterator]();
    try {
      const first = takeNext(it, 3);
      await new Promise((r) => setTimeout(r, 50)); // the reader reaches EAGAIN and waits
      expect(clock.pending()).toBe(0); // no poll timer: an idle reader costs no wake-ups
      await writer.write(rec(1, 'one') + rec(2, 'two'));
      await new Promise((r) => setTimeout(r, 20));
      await writer.write(`${rec(3, 'three')} SUBSYSTEM=pci\n`);
      expect((await first).map((l) => l.message)).toEqual(['one', 'two', 'three']);
      expect(clock.pending()).toBe(0);
      // Each drain ended in EAGAIN, read with stack traces off: the process's setting is back.
      expect(Error.stackTraceLimit).toBe(limit);
    } finally {
      ac.abort();
      await it.return?.();
      await writer.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('a FIFO whose writers left is reopened after pollMs, and later records are read', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'npd-kmsg-fifo-'));
    const fifo = join(dir, 'kmsg');
    execFileSync('mkfifo', [fifo]);
    const s = setup(fifo, { bootTimeMs: 1_000_000, options: { pollMs: 10 } });
    const ac = new AbortController();
    const it = s.source.lines(ac.signal)[Symbol.asyncIterator]();
    try {
      const first = takeNext(it, 2);
      const w1 = await open(fifo, 'w');
      await w1.write(rec(1, 'before'));
      await w1.close(); // end of file for the reader
      await new Promise((r) => setTimeout(r, 50));
      const w2 = await open(fifo, 'w');
      await w2.write(rec(2, 'after'));
      expect((await first).map((l) => l.message)).toEqual(['before', 'after']);
      await w2.close();
      expect(s.telemetry.counts.restarts).toBe(0); // a writer leaving is not a failure
    } finally {
      ac.abort();
      await it.return?.();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
