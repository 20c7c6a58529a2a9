/**
 * The JSON Schemas of monitor files (config/schema/, for editors and CI linting), generated from
 * the field tables in monitor-format.ts so that the loader and the schemas cannot disagree.
 * `npm run schemas` writes them; test/config/schema.test.ts checks the committed files are current.
 */
import type { FieldSpec, FileSpec, ObjectSpec } from './field-spec.js';
import { monitorFormats } from './monitor-format.js';

type Json = Readonly<Record<string, unknown>>;

/** What a Go duration looks like (`0`, `30s`, `1h30m`, `1.5s`). */
const goDuration = '^(0|([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+)$';

function fieldSchema(field: FieldSpec): Json {
  const description = field.type === 'duration' ? `${field.description ?? 'A duration'} (Go duration: "30s", "5m", "1h30m")` : field.description;
  const doc = {
    ...(description === undefined ? {} : { description }),
    ...(field.example === undefined ? {} : { examples: [field.example] }),
  };
  switch (field.type) {
    case 'string':
      if (field.enum) return field.enum.length === 1 ? { const: field.enum[0], ...doc } : { enum: field.enum, ...doc };
      return { type: 'string', ...(field.required ? { minLength: 1 } : {}), ...doc, ...(field.default === undefined ? {} : { default: field.default }) };
    case 'boolean':
      return { type: 'boolean', ...doc, default: field.default };
    case 'integer':
      return { type: 'integer', minimum: field.min, maximum: field.max, ...doc, ...(field.default === undefined ? {} : { default: field.default }) };
    case 'duration':
      return { type: 'string', pattern: goDuration, ...doc, ...(field.default === undefined ? {} : { default: field.default }) };
    case 'strings':
      return { type: 'array', items: { type: 'string' }, ...doc };
    case 'stringMap':
      return { type: 'object', additionalProperties: { type: 'string' }, ...doc };
    case 'anyObject':
      return { type: 'object', ...doc };
    case 'object':
      return { ...objectSchema(field.spec), ...doc };
    case 'list':
      return { type: 'array', items: objectSchema(field.item), ...doc };
  }
}

function objectSchema(spec: ObjectSpec): Json {
  const entries = Object.entries(spec.fields);
  const required = entries.filter(([, f]) => f.required && f.with === undefined).map(([k]) => k);
  const properties = Object.fromEntries(entries.map(([k, f]) => [k, fieldSchema(f)]));
  const conditional = entries.flatMap(([k, f]) =>
    f.requiredWhen ? [{ if: { properties: { [f.requiredWhen.field]: { enum: f.requiredWhen.in } } }, then: { required: [k] } }] : [],
  );
  const dependent: Record<string, string[]> = {};
  for (const [k, f] of entries) {
    if (f.with === undefined) continue;
    (dependent[k] ??= []).push(f.with);
    if (f.required) (dependent[f.with] ??= []).push(k);
  }
  return {
    type: 'object',
    ...(required.length > 0 ? { required } : {}),
    properties,
    ...(spec.oneOf ? { oneOf: spec.oneOf.map((k) => ({ required: [k] })) } : {}),
    ...(conditional.length > 0 ? { allOf: conditional } : {}),
    ...(Object.keys(dependent).length > 0 ? { dependentRequired: dependent } : {}),
  };
}

/** The JSON Schema (2020-12) of one kind of monitor file. */
export function monitorSchema(format: FileSpec): Json {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `https://npd-ts.local/schema/${format.schemaFile}`,
    title: format.title,
    ...objectSchema(format),
  };
}

/** Each schema file under config/schema/ and its text, as committed. */
export function monitorSchemaFiles(): { readonly name: string; readonly text: string }[] {
  return monitorFormats.map((f) => ({ name: f.schemaFile, text: `${JSON.stringify(monitorSchema(f), null, 2)}\n` }));
}
