/**
 * Parses one line of `journalctl -o json`: one JSON object per entry, values are strings, or arrays
 * of byte numbers for binary / non-UTF-8 values, or null for fields over 4096 bytes without `--all`.
 */
import type { LogLine } from './log-source.js';

/** One journal entry, reduced to what a monitor and the cursor logic need. */
export interface JournalEntry {
  /** `__CURSOR`: where to resume with `--after-cursor`. */
  readonly cursor: string;
  /** `SYSLOG_IDENTIFIER`, NPD's `pluginConfig.source` match. */
  readonly identifier: string | undefined;
  /** `_BOOT_ID`. */
  readonly bootId: string | undefined;
  readonly line: LogLine;
}

/** Fields passed on in `line.fields` when present. */
const KEPT_FIELDS = ['SYSLOG_IDENTIFIER', '_SYSTEMD_UNIT', 'PRIORITY', '_TRANSPORT', '_PID'] as const;

const utf8 = new TextDecoder('utf-8', { fatal: false });

/** A journal field value as text: strings as is, byte arrays decoded as UTF-8 (bad bytes → U+FFFD). */
export function journalFieldText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((b) => Number.isInteger(b) && b >= 0 && b <= 255)) {
    return utf8.decode(Uint8Array.from(value as number[]));
  }
  return undefined;
}

/**
 * Parses one JSON line; undefined when it is not a JSON object with `__CURSOR` and a valid
 * `__REALTIME_TIMESTAMP` (µs since the epoch). A missing or null MESSAGE gives an empty message.
 * @example parseJournalEntry('{"__CURSOR":"s=1","__REALTIME_TIMESTAMP":"1599541804928338","MESSAGE":"hi"}')
 */
export function parseJournalEntry(json: string): JournalEntry | undefined {
  let obj: unknown;
  try {
    obj = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return undefined;
  const e = obj as Record<string, unknown>;
  const cursor = e.__CURSOR;
  const usec = e.__REALTIME_TIMESTAMP;
  if (typeof cursor !== 'string' || cursor === '' || typeof usec !== 'string' || !/^\d{1,19}$/.test(usec)) return undefined;
  const fields: Record<string, string> = {};
  for (const k of KEPT_FIELDS) {
    const v = journalFieldText(e[k]);
    if (v !== undefined) fields[k] = v;
  }
  const line: LogLine = {
    time: new Date(Number(usec) / 1000),
    message: (journalFieldText(e.MESSAGE) ?? '').trim(),
    ...(Object.keys(fields).length > 0 ? { fields } : {}),
  };
  return { cursor, identifier: fields.SYSLOG_IDENTIFIER, bootId: journalFieldText(e._BOOT_ID), line };
}
