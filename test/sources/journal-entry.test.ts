import { parseJournalEntry } from '../../src/sources/journal-entry.js';
import { readCorpusLines } from '../helpers/fixtures.js';

describe('parseJournalEntry', () => {
  test('real kernel entries (journald-json-kernel-ext4-errors.jsonl)', () => {
    const entries = readCorpusLines('journald', 'journald-json-kernel-ext4-errors.jsonl').map(parseJournalEntry);
    expect(entries).toHaveLength(6);
    for (const e of entries) {
      expect(e?.identifier).toBe('kernel');
      expect(e?.cursor).toMatch(/^s=/);
      expect(e?.line.message).toMatch(/^EXT4-fs /);
      expect(e?.line.message).toBe(e?.line.message.trim());
      expect(e?.line.fields).toMatchObject({ SYSLOG_IDENTIFIER: 'kernel', _TRANSPORT: 'kernel', PRIORITY: '2' });
    }
    expect(entries[0]?.line.time.toISOString()).toBe('2020-09-08T05:10:04.928Z');
    expect(entries[0]?.bootId).toBe('c4b33c96f240457abc130dcb73da2b24');
    expect(entries[0]?.line.message).toBe('EXT4-fs error (device sdc2): ext4_wait_block_bitmap:519: comm Trash:store1: Cannot read block bitmap - block_group = 2571, block_bitmap = 83886091');
  });

  const base = { __CURSOR: 's=1;i=2', __REALTIME_TIMESTAMP: '1767225600123456' };
  test.each([
    ['string message, trimmed', { ...base, MESSAGE: '  hello \n' }, 'hello'],
    ['byte-array message (non-UTF-8 bytes → U+FFFD)', { ...base, MESSAGE: [104, 105, 0xff, 32] }, 'hi\uFFFD'],
    ['byte-array UTF-8', { ...base, MESSAGE: [0xe2, 0x82, 0xac] }, '€'],
    ['null message (over 4096 bytes)', { ...base, MESSAGE: null }, ''],
    ['no message', { ...base }, ''],
    ['unit kept in fields', { ...base, MESSAGE: 'x', _SYSTEMD_UNIT: 'docker.service', SYSLOG_IDENTIFIER: 'dockerd' }, 'x'],
  ])('%s', (_name, obj, message) => {
    const e = parseJournalEntry(JSON.stringify(obj));
    expect(e?.line.message).toBe(message);
    expect(e?.line.time.toISOString()).toBe('2026-01-01T00:00:00.123Z');
    expect(e?.cursor).toBe('s=1;i=2');
  });

  test.each([
    ['not JSON', '{"__CURSOR":'],
    ['array', '[1,2]'],
    ['null', 'null'],
    ['no cursor', JSON.stringify({ __REALTIME_TIMESTAMP: '1', MESSAGE: 'x' })],
    ['bad timestamp', JSON.stringify({ __CURSOR: 'c', __REALTIME_TIMESTAMP: 'soon', MESSAGE: 'x' })],
    ['numeric timestamp', JSON.stringify({ __CURSOR: 'c', __REALTIME_TIMESTAMP: 5, MESSAGE: 'x' })],
  ])('%s → undefined', (_name, text) => {
    expect(parseJournalEntry(text)).toBeUndefined();
  });

  test.each([
    ['a byte over 255', [104, 256]],
    ['a negative byte', [104, -1]],
    ['a fraction', [104, 1.5]],
    ['not bytes', ['h']],
  ])('a byte-array message with %s is no text: empty message', (_name, bytes) => {
    expect(parseJournalEntry(JSON.stringify({ ...base, MESSAGE: bytes }))?.line.message).toBe('');
  });

  test('byte 0 and 255 are bytes', () => {
    expect(parseJournalEntry(JSON.stringify({ ...base, MESSAGE: [0, 104, 255] }))?.line.message).toBe('\u0000h\uFFFD');
  });

  test.each([
    ['an empty cursor', { __CURSOR: '', __REALTIME_TIMESTAMP: '1' }],
    ['a timestamp with a suffix', { __CURSOR: 'c', __REALTIME_TIMESTAMP: '123x' }],
    ['a timestamp with a prefix', { __CURSOR: 'c', __REALTIME_TIMESTAMP: 'x123' }],
    ['a timestamp of 20 digits', { __CURSOR: 'c', __REALTIME_TIMESTAMP: '12345678901234567890' }],
  ])('%s → undefined', (_name, obj) => {
    expect(parseJournalEntry(JSON.stringify(obj))).toBeUndefined();
  });

  test('no kept field: the line has no fields at all', () => {
    const e = parseJournalEntry(JSON.stringify({ ...base, MESSAGE: 'x', OTHER: 'y' }));
    expect(e && 'fields' in e.line).toBe(false);
    expect(e?.identifier).toBeUndefined();
  });
});

