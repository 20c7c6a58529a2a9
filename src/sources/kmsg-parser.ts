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

/** Decodes the kernel's `\xHH` escapes (it escapes control bytes and the backslash itself). */
export function decodeKmsgEscapes(text: string): string {
  if (!text.includes('\\x')) return text;
  return text.replace(/\\x([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

/** Where the parts of a record's first line are (see {@link parseKmsgHead}). */
export interface KmsgHead {
  readonly pri: number;
  readonly seq: number;
  readonly usec: number;
  /** The message is `text[semi + 1, end)`, raw (escapes not decoded, not trimmed). */
  readonly semi: number;
  readonly end: number;
}

/**
 * Parses a record's prefix `PRI,SEQ,USEC[,FLAGS…];` without building its line (the kmsg source
 * needs only this for a record no rule can match). Undefined for a malformed record.
 */
export function parseKmsgHead(text: string): KmsgHead | undefined {
  // One pass over the prefix, no intermediate arrays: this runs for every record of a flood.
  const nl = text.indexOf('\n');
  const end = nl < 0 ? text.length : nl;
  const semi = text.indexOf(';');
  if (semi < 0 || semi > end) return undefined;
  const c1 = text.indexOf(',');
  const c2 = c1 < 0 ? -1 : text.indexOf(',', c1 + 1);
  if (c2 < 0 || c2 > semi) return undefined;
  // FLAGS is missing on some old kernels; PRI, SEQ and USEC are always there.
  const c3 = text.indexOf(',', c2 + 1);
  const usecEnd = c3 < 0 || c3 > semi ? semi : c3;
  const pri = decimal(text, 0, c1);
  const seq = decimal(text, c1 + 1, c2);
  const usec = decimal(text, c2 + 1, usecEnd);
  if (pri === undefined || seq === undefined || usec === undefined) return undefined;
  return { pri, seq, usec, semi, end };
}

/** The record's time in ms since the epoch, as its line's `time.getTime()` (a Date keeps whole ms). */
export const kmsgTimeMs = (head: KmsgHead, bootTimeMs: number): number => Math.trunc(bootTimeMs + head.usec / 1000);

/** The line of a record whose head is `head`. */
export function kmsgLine(text: string, head: KmsgHead, bootTimeMs: number): LogLine {
  let fields: Record<string, string> | undefined;
  if (head.end < text.length) {
    const lines = text.slice(head.end + 1).split('\n');
    for (const cont of lines) {
      if (!cont.startsWith(' ')) continue;
      const eq = cont.indexOf('=');
      if (eq <= 1) continue;
      fields ??= {};
      fields[cont.slice(1, eq)] = decodeKmsgEscapes(cont.slice(eq + 1));
    }
  }
  const time = new Date(bootTimeMs + head.usec / 1000);
  const message = decodeKmsgEscapes(text.slice(head.semi + 1, head.end)).trim();
  return fields ? { time, message, fields } : { time, message };
}

/**
 * Parses one record. `bootTimeMs` is the boot time in ms since the epoch; the record's time is
 * `bootTimeMs + usec / 1000`. Continuation lines (` KEY=value`) go to `line.fields`, not into the
 * message: go-kmsg-parser keeps them in the message, so NPD's `…\z` patterns never match driver
 * messages such as mlx5's `Link down` (NPD #1086). Returns undefined for a malformed record.
 * @example parseKmsgRecord('6,339,5140900,-;NET: Registered protocol family 10', 0)?.line.message
 */
export function parseKmsgRecord(text: string, bootTimeMs: number): KmsgRecord | undefined {
  const head = parseKmsgHead(text);
  if (!head) return undefined;
  return { priority: head.pri & 7, facility: head.pri >> 3, seq: head.seq, line: kmsgLine(text, head, bootTimeMs) };
}

/** The decimal number text[from, to) (digits only, at least one), if a safe integer. */
function decimal(text: string, from: number, to: number): number | undefined {
  if (to <= from) return undefined;
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return undefined;
    n = n * 10 + d;
  }
  return Number.isSafeInteger(n) ? n : undefined;
}
