/**
 * An OpenAPI 3.1 document of an API's routes, from the zod schemas its generated code validates
 * with (zod-schema.ts builds both), converted by zod's own `z.toJSONSchema` (JSON Schema
 * 2020-12, which OpenAPI 3.1 uses): each `.api` type is a component, path/query/header fields
 * are parameters, JSON fields the request body, the `returns` type the 200 response.
 */
import { z } from 'zod';
import type { TypeExpr } from './ast.ts';
import type { ApiModel, ModelField, ModelRoute } from './model.ts';
import { SchemaBuilder } from './zod-schema.ts';

type JsonSchema = Record<string, unknown>;

const COMPONENT = (name: string) => `#/components/schemas/${name}`;

/** The document for `model`; `info` keys of the .api (title, desc, version) fill its `info`. */
export function openApiDocument(model: ApiModel): Record<string, unknown> {
  const builder = new SchemaBuilder(model.types);
  const registry = z.registry<{ id: string }>();
  for (const [name, s] of builder.all()) registry.add(s.schema, { id: name });
  const components = z.toJSONSchema(registry, { target: 'draft-2020-12', uri: COMPONENT, unrepresentable: 'any', io: 'output' }).schemas;
  for (const schema of Object.values(components)) {
    delete (schema as JsonSchema).$schema;
    delete (schema as JsonSchema).$id;
  }

  // A schema using registered types gets them as $defs: point those at the components instead.
  const convert = (schema: z.ZodType, io: 'input' | 'output'): JsonSchema => {
    const json = z.toJSONSchema(schema, { target: 'draft-2020-12', metadata: registry, unrepresentable: 'any', io }) as JsonSchema;
    delete json.$schema;
    delete json.$defs;
    return JSON.parse(JSON.stringify(json).replace(/"#\/\$defs\/([^"]+)"/g, (_m, id: string) => JSON.stringify(COMPONENT(id)))) as JsonSchema;
  };
  const typeSchema = (t: TypeExpr): JsonSchema => (t.kind === 'ref' ? { $ref: COMPONENT(t.name) } : convert(builder.type(t, 'json').schema, 'output'));

  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of model.routes) {
    const path = route.fullPath.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');
    const fields = route.request?.kind === 'ref' ? (model.types.get(route.request.name)?.fields ?? []) : [];
    // Parameters arrive as text and are coerced: describe the value they must coerce to.
    const parameters = fields.filter((f) => f.source !== 'json').map((f) => parameter(f, convert(builder.field(f).schema, 'output')));
    const json = fields.filter((f) => f.source === 'json');
    const operation: Record<string, unknown> = {
      operationId: route.group ? `${route.group}.${route.handler}` : route.handler,
      ...(route.doc ? { summary: route.doc } : {}),
      ...(route.group ? { tags: [route.group] } : {}),
      ...(parameters.length ? { parameters } : {}),
    };
    if (json.length) {
      const body = json.length === fields.length ? { $ref: COMPONENT((route.request as { name: string }).name) } : convert(builder.object(json).schema, 'input');
      operation.requestBody = { required: true, content: { 'application/json': { schema: body } } };
    }
    operation.responses = responses(route, route.response ? typeSchema(route.response) : undefined);
    (paths[path] ??= {})[route.method] = operation;
  }
  const info = Object.fromEntries(model.info.map((kv) => [kv.key, kv.value]));
  return {
    openapi: '3.1.0',
    info: { title: info.title ?? model.service, version: info.version ?? '1.0.0', ...(info.desc ? { description: info.desc } : {}) },
    paths,
    components: { schemas: components },
  };
}

function parameter(f: ModelField, schema: JsonSchema): Record<string, unknown> {
  const where = f.source === 'path' ? 'path' : f.source === 'form' ? 'query' : 'header';
  const required = where === 'path' || (!f.optional && f.defaultValue === undefined);
  return { name: f.wire, in: where, required, schema };
}

function responses(route: ModelRoute, schema: JsonSchema | undefined): Record<string, unknown> {
  const errors = {
    '400': { description: 'the request does not match its schema (the reason is in the body)' },
    ...(route.timeoutMs !== undefined ? { '503': { description: `the handler took longer than ${route.timeoutMs} ms` } } : {}),
  };
  if (schema === undefined) return { '204': { description: 'done' }, ...errors };
  return { '200': { description: 'OK', content: { 'application/json': { schema } } }, ...errors };
}
