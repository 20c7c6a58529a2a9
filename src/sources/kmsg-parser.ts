/**
 * Parses one `/dev/kmsg` record (Documentation/ABI/testing/dev-kmsg): `PRI,SEQ,USEC,FLAGS[,…];text`
 * followed by optional ` KEY=value` dictionary lines. Pure over text; the kmsg source does the I/O.
 */
import type { LogLine } from './log-source.js';

/** One kmsg record. */
export interface KmsgRecord {
  /** Syslog level, `PRI & 7` (0 = emerg … 7 = debug). */
  readonly priority: number;
  /** Syslog facility, `PRI >> 3` (0 = kernel, 1 = user …). */
  readonly facility: number;
  /** The kernel's record sequence number; a gap means records were overwritten before we read them. */
  readonly seq: number;
  readonly line: LogLine;
}

const DECIMAL = /^\d+$/;

/** Decodes the kernel's `\xHH` escapes (it escapes control bytes and the backslash itself). */
export function decodeKmsgEscapes(text: string): string {
  if (!text.includes('\\x')) return text;
  return text.replace(/\\x([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

/**
 * Parses one record. `bootTimeMs` is the boot time in ms since the epoch; the record's time is
 * `bootTimeMs + usec / 1000`. Continuation lines (` KEY=value`) go to `line.fields`, not into the
 * message: go-kmsg-parser keeps them in the message, so NPD's `…\z` patterns never match driver
 * messages such as mlx5's `Link down` (NPD #1086). Returns undefined for a malformed record.
 * @example parseKmsgRecord('6,339,5140900,-;NET: Registered protocol family 10', 0)?.line.message
 */
export function parseKmsgRecord(text: string, bootTimeMs: number): KmsgRecord | undefined {
  const lines = text.split('\n');
  const head = lines[0] ?? '';
  const semi = head.indexOf(';');
  if (semi < 0) return undefined;
  const prefix = head.slice(0, semi).split(',');
  // FLAGS is missing on some old kernels; PRI, SEQ and USEC are always there.
  if (prefix.length < 3) return undefined;
  const [pri, seq, usec] = prefix as [string, string, string];
  if (!DECIMAL.test(pri) || !DECIMAL.test(seq) || !DECIMAL.test(usec)) return undefined;
  const priValue = Number(pri);
  const seqValue = Number(seq);
  const usecValue = Number(usec);
  if (!Number.isSafeInteger(seqValue) || !Number.isSafeInteger(usecValue)) return undefined;

  let fields: Record<string, string> | undefined;
  for (let i = 1; i < lines.length; i++) {
    const cont = lines[i] as string;
    if (!cont.startsWith(' ')) continue;
    const eq = cont.indexOf('=');
    if (eq <= 1) continue;
    fields ??= {};
    fields[cont.slice(1, eq)] = decodeKmsgEscapes(cont.slice(eq + 1));
  }
  const line: LogLine = {
    time: new Date(bootTimeMs + usecValue / 1000),
    message: decodeKmsgEscapes(head.slice(semi + 1)).trim(),
    ...(fields ? { fields } : {}),
  };
  return { priority: priValue & 7, facility: priValue >> 3, seq: seqValue, line };
}
