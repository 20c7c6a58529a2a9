/**
 * The values of command-line flags: each parser takes the raw text and its flag's name, and throws a
 * ConfigError naming the flag (`command line: --port: must be …`). Empty text is never "unset".
 */
import { nodeNet } from '../core/node-builtins.js';
import { parseDuration } from '../core/clock.js';
import { ConfigError } from '../core/errors.js';
import type { LogLevel } from '../core/logger.js';

/** The error of a bad flag. */
export const bad = (flag: string, problem: string): ConfigError => new ConfigError('command line', flag, problem);

/** `true`/`false` (and Go's `1`, `t`, `yes`… as NPD's flag package accepts). */
export function parseBool(flag: string, value: string): boolean {
  if (/^(true|1|t|yes)$/i.test(value)) return true;
  if (/^(false|0|f|no)$/i.test(value)) return false;
  throw bad(flag, `must be true or false, got ${JSON.stringify(value)}`);
}
/** A Go duration (`5m`, `30s`, `1h30m`); `0` is allowed. */
export function parseDurationFlag(flag: string, value: string): number {
  const ms = parseDuration(value);
  if (ms === undefined) throw bad(flag, `must be a duration like 5m or 30s, got ${JSON.stringify(value)}`);
  return ms;
}
/** A positive duration. */
export function positiveDuration(flag: string, value: string): number {
  const ms = parseDurationFlag(flag, value);
  if (ms <= 0) throw bad(flag, `must be longer than 0, got ${JSON.stringify(value)}`);
  return ms;
}
/** A TCP port, decimal digits only (no `0x50`, no empty value, no sign). */
export function parsePort(flag: string, value: string): number {
  // Digits only, so never negative; NaN fails the comparison.
  const n = /^\d{1,5}$/.test(value) ? Number(value) : NaN;
  if (!(n <= 65535)) throw bad(flag, `must be a port number 0–65535 (0 disables), got ${JSON.stringify(value)}`);
  return n;
}
/** A non-negative decimal number (the accepted-and-ignored NPD rate flags). */
export function parseNumber(flag: string, value: string): number {
  if (!/^\d+(\.\d+)?$/.test(value)) throw bad(flag, `must be a number, got ${JSON.stringify(value)}`);
  return Number(value);
}
/** An IPv4 or IPv6 address to listen on. */
export function parseAddress(flag: string, value: string): string {
  if (nodeNet().isIP(value) === 0) throw bad(flag, `must be an IP address such as 127.0.0.1 or 0.0.0.0, got ${JSON.stringify(value)}`);
  return value;
}
/** Any text but the empty string. */
export function parseText(flag: string, value: string): string {
  if (value.trim() === '') throw bad(flag, 'must not be empty');
  return value;
}
export function parseLogLevel(flag: string, value: string): LogLevel {
  const levels: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];
  const level = levels.find((l) => l === value);
  if (!level) throw bad(flag, `must be one of ${levels.join(', ')}, got ${JSON.stringify(value)}`);
  return level;
}
/** A comma-separated list of files, appended to the previous occurrences of the flag. */
export function parseList(flag: string, value: string, previous: readonly string[] | undefined): string[] {
  const items = value.split(',').map((s) => s.trim()).filter(Boolean);
  if (items.length === 0) throw bad(flag, 'must name at least one file');
  return [...(previous ?? []), ...items];
}
