import { kmsgTimeMs, parseKmsgHead, parseKmsgRecord } from '../../src/sources/kmsg-parser.js';
import { readCorpusLines } from '../helpers/fixtures.js';

const BOOT = Date.UTC(2026, 0, 1);

describe('parseKmsgRecord', () => {
  test.each([
    ['plain record', '6,339,5140900,-;NET: Registered protocol family 10', { priority: 6, facility: 0, seq: 339, message: 'NET: Registered protocol family 10', ms: 5140.9 }],
    ['facility-encoded priority', '30,340,5690716,-;udevd[80]: starting version 181', { priority: 6, facility: 3, seq: 340, message: 'udevd[80]: starting version 181', ms: 5690.716 }],
    ['extra prefix fields', '4,12,1000,c,caller=T1;hello', { priority: 4, facility: 0, seq: 12, message: 'hello', ms: 1 }],
    ['no flags (old kernels)', '4,12,1000;hello', { priority: 4, facility: 0, seq: 12, message: 'hello', ms: 1 }],
    ['escapes decoded and trimmed', '3,1,0,-;divide error: 0000 [#1] SMP \\x5cn\\x0a', { priority: 3, facility: 0, seq: 1, message: 'divide error: 0000 [#1] SMP \\n', ms: 0 }],
    ['empty message', '6,7,0,-;   ', { priority: 6, facility: 0, seq: 7, message: '', ms: 0 }],
  ])('%s', (_name, text, want) => {
    const r = parseKmsgRecord(text, BOOT);
    expect(r).toMatchObject({ priority: want.priority, facility: want.facility, seq: want.seq });
    expect(r?.line.message).toBe(want.message);
    expect(r?.line.time.getTime()).toBe(Math.trunc(BOOT + want.ms));
    expect(r?.line.fields).toBeUndefined();
  });

  test.each([
    ['no semicolon', '6,1,2,- hello'],
    ['too few prefix fields', '6,1;hello'],
    ['non-numeric seq', '6,x,2,-;hello'],
    ['negative usec', '6,1,-2,-;hello'],
    ['empty text', ''],
    ['continuation line alone', ' SUBSYSTEM=pci'],
    ['a semicolon only after the first line', '6,1,2,-\n A=b;c'],
    ['a non-numeric priority', 'x,1,2,-;m'],
    ['an empty priority', ',1,2,-;m'],
    ['an empty sequence number', '6,,2,-;m'],
    ['an empty time', '6,1,,-;m'],
    ['a number past 2^53', '6,1,99999999999999999999,-;m'],
  ])('malformed: %s → undefined', (_name, text) => {
    expect(parseKmsgRecord(text, BOOT)).toBeUndefined();
  });

  test('continuation lines become fields, not message (NPD #1086)', () => {
    const r = parseKmsgRecord('6,2724,7123627289,-;mlx5_core 0000:4b:00.0 enp75s0np0: Link down\n SUBSYSTEM=pci\n DEVICE=+pci:0000:4b:00.0\n', BOOT);
    expect(r?.line.message).toBe('mlx5_core 0000:4b:00.0 enp75s0np0: Link down');
    expect(r?.line.fields).toEqual({ SUBSYSTEM: 'pci', DEVICE: '+pci:0000:4b:00.0' });
  });

  test('linux doc example: first record carries acpi fields', () => {
    const lines = readCorpusLines('kmsg', 'kmsg-raw-linux-doc-dev-kmsg.log');
    const r = parseKmsgRecord(lines.slice(0, 3).join('\n'), BOOT);
    expect(r?.line.message).toBe('pci_root PNP0A03:00: host bridge window [io  0x0000-0x0cf7] (ignored)');
    expect(r?.line.fields).toEqual({ SUBSYSTEM: 'acpi', DEVICE: '+acpi:PNP0A03:00' });
  });

  test('every record line of the corpus parses', () => {
    for (const f of ['kmsg-raw-go-kmsg-parser-sample1.log', 'kmsg-raw-linux-doc-dev-kmsg.log', 'kmsg-raw-npd-problems-synthetic-framing.log']) {
      for (const l of readCorpusLines('kmsg', f).filter((x) => !x.startsWith(' '))) {
        expect(parseKmsgRecord(l, BOOT)).toBeDefined();
      }
    }
  });
});

describe('record edges', () => {
  test('without FLAGS, a comma in the message is the message\'s', () => {
    expect(parseKmsgRecord('4,12,1000;hello, world', BOOT)?.line.message).toBe('hello, world');
  });

  test('the head: where the message is, up to the first newline', () => {
    expect(parseKmsgHead('6,339,5140900,-;NET\n K=v')).toEqual({ pri: 6, seq: 339, usec: 5140900, semi: 15, end: 19 });
    expect(parseKmsgHead('6,339,5140900;NET')).toEqual({ pri: 6, seq: 339, usec: 5140900, semi: 13, end: 17 });
  });

  test('the time in whole ms after boot, as the line\'s', () => {
    const head = parseKmsgHead('6,1,5140900999,-;m');
    expect(head && kmsgTimeMs(head, BOOT)).toBe(BOOT + 5_140_900);
    expect(parseKmsgRecord('6,1,5140900999,-;m', BOOT)?.line.time.getTime()).toBe(BOOT + 5_140_900);
  });

  test('dictionary lines: only ` KEY=value` lines with a key, values decoded; a message without escapes is kept as is', () => {
    const r = parseKmsgRecord('6,1,0,-;a\\b\n K=v\\x41\nNOSPACE=x\n =nokey\n KEY=\\x41\\x5c\n', BOOT);
    expect(r?.line.message).toBe('a\\b');
    expect(r?.line.fields).toEqual({ K: 'vA', KEY: 'A\\' });
    expect(parseKmsgRecord('6,1,0,-;x\n', BOOT)?.line.fields).toBeUndefined();
  });
});

