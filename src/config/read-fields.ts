/**
 * Reads an object of a monitor file by its field table (monitor-format.ts): every check a table
 * states — type, required, range, enum, duration, `with`, `requiredWhen`, `oneOf` — fails with a
 * ConfigError naming the file and the field path (`rules[3].window`). What a table cannot say is
 * left to the parsers.
 */
import { parseDuration } from '../core/clock.js';
import type { FieldSpec, ObjectSpec, StringField, Values } from './field-spec.js';
import {
  fieldError,
  fieldPath,
  objectReader,
  readBoolean,
  readDuration,
  readInteger,
  readObjectArray,
  readString,
  readStringArray,
  readStringMap,
  type FieldReader,
} from './field-readers.js';

const given = (r: FieldReader, key: string): boolean => r.obj[key] !== undefined && r.obj[key] !== null;

/** `"a", "b" or "c"`. */
function alternatives(values: readonly string[]): string {
  const quoted = values.map((v) => JSON.stringify(v));
  return quoted.length > 1 ? `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1) ?? ''}` : (quoted[0] ?? '');
}

function readStringField(r: FieldReader, key: string, field: StringField, required: boolean): string | undefined {
  const v = required ? readString(r, key, true) : (readString(r, key) ?? field.default);
  if (v !== undefined && field.enum && !field.enum.includes(v)) throw fieldError(r, key, `must be ${alternatives(field.enum)}, got ${JSON.stringify(v)}`);
  return v;
}

function readField(r: FieldReader, key: string, field: FieldSpec, required: boolean): unknown {
  if (required && field.type !== 'string' && !given(r, key)) throw fieldError(r, key, 'is required');
  switch (field.type) {
    case 'string':
      return readStringField(r, key, field, required);
    case 'boolean':
      return readBoolean(r, key, field.default);
    case 'integer':
      return given(r, key) ? readInteger(r, key, 0, field.min, field.max) : field.default;
    case 'duration':
      return readDuration(r, key, field.default === undefined ? undefined : parseDuration(field.default), { positive: field.positive === true });
    case 'strings':
      return readStringArray(r, key);
    case 'stringMap':
      return readStringMap(r, key);
    case 'anyObject':
      return given(r, key) ? objectReader(r.file, fieldPath(r.path, key), r.obj[key]).obj : {};
    case 'object':
      return readFields(objectReader(r.file, fieldPath(r.path, key), given(r, key) ? r.obj[key] : {}), field.spec);
    case 'list':
      return readObjectArray(r, key).map((at) => ({ at, values: readFields(at, field.item) }));
  }
}

/** Whether a field must be given, from what the object holds and what was read before it. */
function isRequired(field: FieldSpec, read: Readonly<Record<string, unknown>>): boolean {
  if (field.with !== undefined) return false;
  if (field.requiredWhen) {
    const value = read[field.requiredWhen.field];
    return typeof value === 'string' && field.requiredWhen.in.includes(value);
  }
  return field.required === true;
}

/** Reads and checks every field of `r` that `spec` declares, in the table's order. */
export function readFields<S extends ObjectSpec>(r: FieldReader, spec: S): Values<S> {
  const read: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(spec.fields)) {
    if (field.with !== undefined && given(r, key) && !given(r, field.with)) throw fieldError(r, key, `is only allowed together with ${JSON.stringify(field.with)}`);
    read[key] = readField(r, key, field, isRequired(field, read));
  }
  for (const [key, field] of Object.entries(spec.fields)) {
    if (field.with !== undefined && field.required && given(r, field.with) && !given(r, key)) {
      throw fieldError(r, key, `is required with ${JSON.stringify(field.with)}${field.example === undefined ? '' : ` (e.g. ${JSON.stringify(field.example)})`}`);
    }
  }
  if (spec.oneOf) {
    const [a, b] = spec.oneOf;
    const what = spec.name === undefined ? 'an object' : `a ${spec.name}`;
    const named = (key: string): string => {
      const short = spec.fields[key]?.short;
      return short === undefined ? JSON.stringify(key) : `${JSON.stringify(key)} (${short})`;
    };
    if (!given(r, a) && !given(r, b)) throw fieldError(r, a, `${what} needs either ${named(a)} or ${named(b)}`);
    if (given(r, a) && given(r, b)) throw fieldError(r, b, `${what} has either ${JSON.stringify(a)} or ${JSON.stringify(b)}, not both`);
  }
  // The one cast: `read` holds a value of each field's type, as Values<S> spells out.
  return read as Values<S>;
}
