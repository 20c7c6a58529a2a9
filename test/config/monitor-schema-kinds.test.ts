/**
 * `monitorSchema` over a hand-made table with every kind of field and every rule a table can state,
 * so each is checked by its exact JSON Schema, not only by the shipped tables' committed files.
 */
import type { FileSpec } from '../../src/config/field-spec.js';
import { monitorSchema } from '../../src/config/monitor-schema.js';

const goDuration = '^(0|([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+)$';

test('every kind of field, with and without its description, example and default', () => {
  const spec: FileSpec = {
    title: 'T',
    schemaFile: 't.schema.json',
    fields: {
      one: { type: 'string', enum: ['only'], description: 'd1' },
      two: { type: 'string', enum: ['a', 'b'], example: 'a' },
      req: { type: 'string', required: true },
      opt: { type: 'string', default: 'x' },
      flag: { type: 'boolean', default: false },
      n: { type: 'integer', min: 1, max: 5 },
      m: { type: 'integer', min: 0, max: 9, default: 3, description: 'm' },
      d: { type: 'duration' },
      e: { type: 'duration', default: '5m', description: 'How long' },
      l: { type: 'strings' },
      map: { type: 'stringMap' },
      any: { type: 'anyObject' },
      obj: { type: 'object', spec: { fields: { x: { type: 'boolean', default: true } } }, description: 'o' },
      list: { type: 'list', item: { fields: { y: { type: 'string', required: true } } } },
    },
  };
  expect(monitorSchema(spec)).toEqual({
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://npd-ts.local/schema/t.schema.json',
    title: 'T',
    type: 'object',
    required: ['req'],
    properties: {
      one: { const: 'only', description: 'd1' },
      two: { enum: ['a', 'b'], examples: ['a'] },
      req: { type: 'string', minLength: 1 },
      opt: { type: 'string', default: 'x' },
      flag: { type: 'boolean', default: false },
      n: { type: 'integer', minimum: 1, maximum: 5 },
      m: { type: 'integer', minimum: 0, maximum: 9, description: 'm', default: 3 },
      d: { type: 'string', pattern: goDuration, description: 'A duration (Go duration: "30s", "5m", "1h30m")' },
      e: { type: 'string', pattern: goDuration, description: 'How long (Go duration: "30s", "5m", "1h30m")', default: '5m' },
      l: { type: 'array', items: { type: 'string' } },
      map: { type: 'object', additionalProperties: { type: 'string' } },
      any: { type: 'object' },
      obj: { type: 'object', properties: { x: { type: 'boolean', default: true } }, description: 'o' },
      list: { type: 'array', items: { type: 'object', required: ['y'], properties: { y: { type: 'string', minLength: 1 } } } },
    },
  });
});

test('with, requiredWhen and oneOf become dependentRequired, allOf and oneOf', () => {
  const spec: FileSpec = {
    title: 'R',
    schemaFile: 'r.schema.json',
    name: 'rule',
    oneOf: ['pattern', 'probe'],
    fields: {
      kind: { type: 'string' },
      pattern: { type: 'string' },
      probe: { type: 'string' },
      path: { type: 'string', requiredWhen: { field: 'kind', in: ['file', 'dir'] } },
      count: { type: 'integer', min: 1, max: 9 },
      window: { type: 'duration', with: 'count', required: true },
      note: { type: 'string', with: 'count' },
    },
  };
  const schema = monitorSchema(spec);
  expect(schema['required']).toBeUndefined();
  expect(schema['oneOf']).toEqual([{ required: ['pattern'] }, { required: ['probe'] }]);
  expect(schema['allOf']).toEqual([{ if: { properties: { kind: { enum: ['file', 'dir'] } } }, then: { required: ['path'] } }]);
  expect(schema['dependentRequired']).toEqual({ window: ['count'], count: ['window'], note: ['count'] });
});

test('a table with none of them states none', () => {
  const schema = monitorSchema({ title: 'E', schemaFile: 'e.schema.json', fields: { a: { type: 'string' } } });
  expect(Object.keys(schema).sort()).toEqual(['$id', '$schema', 'properties', 'title', 'type']);
});
