/**
 * Reading a probe rule's `options` once, at load (docs/architecture.md, "Add a probe"): every check
 * names the file, the field and the bad value (`fd.thresholdPercent must be 1–100, got 180`), and
 * unknown keys are rejected so a typo does not silently fall back to a default.
 */
import { ConfigError } from '../core/errors.js';
import { parseDuration } from '../core/clock.js';

/** Where a rule's options sit, for errors. */
export interface OptionsWhere {
  readonly file: string;
  /** JSON path of the `options` object, e.g. `rules[0].options`. */
  readonly field: string;
}

/** Typed readers over one probe's options. */
export interface OptionReader {
  percent(name: string, fallback: number): number;
  optionalPercent(name: string): number | undefined;
  duration(name: string, fallback: number): number;
  /** A whole number in `min`–`max` (inclusive); `fallback` when absent. */
  integer(name: string, fallback: number, min: number, max?: number): number;
  string(name: string, fallback?: string): string;
  strings(name: string, fallback?: readonly string[]): readonly string[];
  fail(name: string, problem: string): never;
}

/** Checks the keys of `options` against `known` and returns readers that validate each value. */
export function readOptions(probe: string, options: Readonly<Record<string, unknown>>, known: readonly string[], where: OptionsWhere): OptionReader {
  const fail = (name: string, problem: string): never => {
    throw new ConfigError(where.file, `${where.field}.${name}`, `${probe}.${name} ${problem}`);
  };
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) fail(key, `is not an option of probe ${probe} (known: ${known.join(', ') || 'none'})`);
  }
  const optionalPercent = (name: string): number | undefined => {
    const v = options[name];
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 1 || v > 100) fail(name, `must be 1–100, got ${JSON.stringify(v)}`);
    return v as number;
  };
  return {
    fail,
    optionalPercent,
    percent: (name, fallback) => optionalPercent(name) ?? fallback,
    duration(name, fallback) {
      const v = options[name];
      if (v === undefined) return fallback;
      const ms = typeof v === 'string' ? parseDuration(v) : undefined;
      if (ms === undefined || ms <= 0) fail(name, `must be a duration like "5s", got ${JSON.stringify(v)}`);
      return ms as number;
    },
    integer(name, fallback, min, max = Number.MAX_SAFE_INTEGER) {
      const v = options[name];
      if (v === undefined) return fallback;
      if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max) {
        fail(name, `must be an integer ${max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `${min}–${max}`}, got ${JSON.stringify(v)}`);
      }
      return v as number;
    },
    string(name, fallback) {
      const v = options[name];
      if (v === undefined && fallback !== undefined) return fallback;
      if (typeof v !== 'string' || v === '') fail(name, v === undefined ? 'is required' : `must be a non-empty string, got ${JSON.stringify(v)}`);
      return v as string;
    },
    strings(name, fallback) {
      const v = options[name];
      if (v === undefined && fallback !== undefined) return fallback;
      if (!Array.isArray(v) || v.length === 0 || !v.every((s) => typeof s === 'string' && s !== '')) {
        fail(name, v === undefined ? 'is required' : `must be a non-empty list of strings, got ${JSON.stringify(v)}`);
      }
      return v as string[];
    },
  };
}
