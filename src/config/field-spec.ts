/**
 * The vocabulary of the monitor-file field table (monitor-format.ts): what a field may be, and the
 * TypeScript type of the value read from it. One table drives both the loader's checks
 * (read-fields.ts) and the JSON Schemas (monitor-schema.ts); see docs/architecture.md.
 */
import type { FieldReader } from './field-readers.js';

/** What every field may say about itself. A field is optional unless `required` (or `requiredWhen`). */
interface FieldBase {
  /** What the field means, for the schema and the reader of the table. */
  readonly description?: string;
  /** Must be given (and, for a string, not empty). With `with`: must be given whenever that field is. */
  readonly required?: boolean;
  /** Must be given when another field of the object has one of these values. */
  readonly requiredWhen?: { readonly field: string; readonly in: readonly string[] };
  /** Belongs to another field: allowed only when that field is given. */
  readonly with?: string;
  /** A value shown in the schema and in the "is required" error. */
  readonly example?: string;
  /** A few words naming what the field holds, for errors (`"path" (an executable)`). */
  readonly short?: string;
}

/** A string; `enum` limits it to those values. */
export interface StringField extends FieldBase {
  readonly type: 'string';
  readonly enum?: readonly string[];
  readonly default?: string;
}
/** true or false. */
export interface BooleanField extends FieldBase {
  readonly type: 'boolean';
  readonly default: boolean;
}
/** An integer within [min, max]. */
export interface IntegerField extends FieldBase {
  readonly type: 'integer';
  readonly min: number;
  readonly max: number;
  readonly default?: number;
}
/** A Go duration (`"30s"`, `"5m"`, `"1h30m"`), read in ms. */
export interface DurationField extends FieldBase {
  readonly type: 'duration';
  /** As written in a file. */
  readonly default?: string;
  /** More than 0. */
  readonly positive?: boolean;
}
/** An array of strings; `[]` when absent. */
export interface StringListField extends FieldBase {
  readonly type: 'strings';
}
/** An object of string values; `{}` when absent. */
export interface StringMapField extends FieldBase {
  readonly type: 'stringMap';
}
/** Any JSON object, checked by whoever uses it (a probe's options); `{}` when absent. */
export interface AnyObjectField extends FieldBase {
  readonly type: 'anyObject';
}
/** An object with fields of its own; read with its defaults when absent. */
export interface ObjectField extends FieldBase {
  readonly type: 'object';
  readonly spec: ObjectSpec;
}
/** An array of objects of one kind; `[]` when absent. */
export interface ListField extends FieldBase {
  readonly type: 'list';
  readonly item: ObjectSpec;
}

export type FieldSpec = StringField | BooleanField | IntegerField | DurationField | StringListField | StringMapField | AnyObjectField | ObjectField | ListField;

/** An object: its fields in file order, and a pair of fields of which exactly one must be given. */
export interface ObjectSpec {
  readonly fields: Readonly<Record<string, FieldSpec>>;
  /** What one such object is called in errors (`a rule needs …`). */
  readonly name?: string;
  readonly oneOf?: readonly [string, string];
}

/** A whole monitor file: its object and the schema's title and file name. */
export interface FileSpec extends ObjectSpec {
  readonly title: string;
  /** Under config/schema/. */
  readonly schemaFile: string;
}

type Maybe<F, T> = F extends { with: string } ? T | undefined : F extends { required: true } | { default: unknown } ? T : T | undefined;

/** The type of the value read from a field. */
export type FieldValue<F> = F extends { type: 'string'; enum: readonly (infer E)[] }
  ? Maybe<F, E>
  : F extends { type: 'string' }
    ? Maybe<F, string>
    : F extends { type: 'boolean' }
      ? boolean
      : F extends { type: 'integer' } | { type: 'duration' }
        ? Maybe<F, number>
        : F extends { type: 'strings' }
          ? string[]
          : F extends { type: 'stringMap' }
            ? Record<string, string>
            : F extends { type: 'anyObject' }
              ? Readonly<Record<string, unknown>>
              : F extends { type: 'object'; spec: infer S extends ObjectSpec }
                ? Values<S>
                : F extends { type: 'list'; item: infer S extends ObjectSpec }
                  ? Item<S>[]
                  : never;

/** The values read from an object, by field name. */
export type Values<S extends ObjectSpec> = { readonly [K in keyof S['fields']]: FieldValue<S['fields'][K]> };

/** One object of a list: its values, and where it is (for errors about it). */
export interface Item<S extends ObjectSpec> {
  readonly at: FieldReader;
  readonly values: Values<S>;
}
