/**
 * Typed reads of fields from parsed JSON, each failing with a {@link ConfigError} that names the
 * file and the exact field path (`rules[3].pattern`). Unknown fields are ignored, as Go's
 * encoding/json does, so NPD's files load unchanged.
 */
import { parseDuration } from '../core/clock.js';
import { ConfigError } from '../core/errors.js';

/** A JSON object being read, with where it is in the file. */
export interface FieldReader {
  readonly file: string;
  /** Path of this object in the file ('' for the root). */
  readonly path: string;
  readonly obj: Readonly<Record<string, unknown>>;
}

/** The path of a field below `base`. */
export function fieldPath(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  return base ? `${base}.${key}` : key;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${String(v)}`;
}

/** Wraps an object value (or fails: `field must be an object`). */
export function objectReader(file: string, path: string, v: unknown): FieldReader {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new ConfigError(file, path, `must be an object, got ${describe(v)}`);
  return { file, path, obj: v as Record<string, unknown> };
}

/** A problem with one field of `r`. */
export function fieldError(r: FieldReader, key: string | number, problem: string): ConfigError {
  return new ConfigError(r.file, fieldPath(r.path, key), problem);
}

/** A string field; `undefined` when absent and not `required`. */
export function readString(r: FieldReader, key: string, required: true): string;
export function readString(r: FieldReader, key: string, required?: false): string | undefined;
export function readString(r: FieldReader, key: string, required = false): string | undefined {
  const v = r.obj[key];
  if (v === undefined || v === null) {
    if (required) throw fieldError(r, key, 'is required');
    return undefined;
  }
  if (typeof v !== 'string') throw fieldError(r, key, `must be a string, got ${describe(v)}`);
  if (required && v === '') throw fieldError(r, key, 'must not be empty');
  return v;
}

/** A boolean field, or `fallback` when absent. */
export function readBoolean(r: FieldReader, key: string, fallback: boolean): boolean {
  const v = r.obj[key];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'boolean') throw fieldError(r, key, `must be true or false, got ${describe(v)}`);
  return v;
}

/** An integer field within [min, max], or `fallback` when absent. */
export function readInteger(r: FieldReader, key: string, fallback: number, min: number, max: number): number {
  const v = r.obj[key];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw fieldError(r, key, `must be an integer, got ${describe(v)}`);
  if (v < min || v > max) throw fieldError(r, key, `must be ${min}–${max}, got ${v}`);
  return v;
}

/** A Go duration field (`"5m"`) in ms, or `fallbackMs` when absent. */
export function readDuration(r: FieldReader, key: string, fallbackMs: number | undefined, options: { positive?: boolean } = {}): number | undefined {
  const v = readString(r, key);
  if (v === undefined) return fallbackMs;
  const ms = parseDuration(v);
  if (ms === undefined) throw fieldError(r, key, `must be a Go duration like "30s", "5m" or "1h30m", got ${JSON.stringify(v)}`);
  if (options.positive && ms <= 0) throw fieldError(r, key, `must be more than 0, got ${JSON.stringify(v)}`);
  return ms;
}

/** An array of strings, or `[]` when absent. */
export function readStringArray(r: FieldReader, key: string): string[] {
  const v = r.obj[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw fieldError(r, key, `must be an array of strings, got ${describe(v)}`);
  return v.map((item, i) => {
    if (typeof item !== 'string') throw new ConfigError(r.file, fieldPath(fieldPath(r.path, key), i), `must be a string, got ${describe(item)}`);
    return item;
  });
}

/** A map of string to string (NPD's `pluginConfig` of log monitors), or `{}` when absent. */
export function readStringMap(r: FieldReader, key: string): Record<string, string> {
  const v = r.obj[key];
  if (v === undefined || v === null) return {};
  const m = objectReader(r.file, fieldPath(r.path, key), v);
  const out: Record<string, string> = {};
  for (const k of Object.keys(m.obj)) out[k] = readString(m, k, true);
  return out;
}

/** An array of objects, each wrapped as a reader, or `[]` when absent (or required). */
export function readObjectArray(r: FieldReader, key: string, required = false): FieldReader[] {
  const v = r.obj[key];
  if (v === undefined || v === null) {
    if (required) throw fieldError(r, key, 'is required');
    return [];
  }
  if (!Array.isArray(v)) throw fieldError(r, key, `must be an array, got ${describe(v)}`);
  return v.map((item, i) => objectReader(r.file, fieldPath(fieldPath(r.path, key), i), item));
}
