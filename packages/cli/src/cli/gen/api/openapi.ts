/**
 * An OpenAPI 3.1 document of an API's routes, from the zod schemas its generated code validates
 * with (zod-schema.ts builds both). The mapping to OpenAPI is the runtime library's
 * (`openApiDocument` of zeroscope/rest, what a RestServer serves on `OpenApi.Path`): this file
 * only turns the .api model into routes as the generated routes.ts declares them — path, form
 * and header fields as params/query/headers, JSON fields as the body, the `returns` type as the
 * response — with each `.api` type registered under its name so it becomes a component.
 */
import { z } from 'zod';
import { openApiDocument as restOpenApiDocument, type HttpMethod, type OpenApiDocument, type OpenApiRoute } from 'zeroscope/rest';
import type { ApiModel, FieldSource, ModelField, ModelType } from './model.ts';
import { SchemaBuilder } from './zod-schema.ts';

/** The document for `model`; `info` keys of the .api (title, desc, version) fill its `info`. */
export function openApiDocument(model: ApiModel): OpenApiDocument {
  const builder = new SchemaBuilder(model.types);
  const registry = z.registry<{ id: string }>();
  for (const [name, s] of builder.all()) registry.add(s.schema, { id: name });

  const routes = model.routes.map((route): OpenApiRoute => {
    const type = route.request?.kind === 'ref' ? model.types.get(route.request.name) : undefined;
    const json = type?.fields.filter((f) => f.source === 'json') ?? [];
    // A request of JSON fields only is the named type itself, so the body is its component.
    const body = type === undefined || json.length === 0 ? undefined : json.length === type.fields.length ? builder.named(type.name, undefined).schema : byWire(builder, json);
    return {
      method: route.method.toUpperCase() as HttpMethod,
      path: route.fullPath,
      request: type === undefined ? undefined : { params: part(builder, type, 'path'), query: part(builder, type, 'form'), headers: part(builder, type, 'header'), body },
      // A route without `returns` answers 204 (its logic returns nothing).
      response: route.response ? builder.type(route.response, 'json').schema : z.void(),
      timeout: route.timeoutMs,
      openapi: {
        operationId: route.group ? `${route.group}.${route.handler}` : route.handler,
        ...(route.doc ? { summary: route.doc } : {}),
        ...(route.group ? { tags: [route.group] } : {}),
      },
    };
  });
  const info = Object.fromEntries(model.info.map((kv) => [kv.key, kv.value]));
  return restOpenApiDocument(routes, {
    title: info.title ?? model.service,
    version: info.version,
    description: info.desc,
    metadata: registry as unknown as NonNullable<Parameters<typeof restOpenApiDocument>[1]['metadata']>,
  });
}

/** The fields read from `source`, keyed by their wire name, or undefined when there are none. */
function part(builder: SchemaBuilder, type: ModelType, source: FieldSource): z.ZodType | undefined {
  const fields = type.fields.filter((f) => f.source === source);
  return fields.length === 0 ? undefined : byWire(builder, fields);
}

function byWire(builder: SchemaBuilder, fields: readonly ModelField[]): z.ZodType {
  return z.object(Object.fromEntries(fields.map((f) => [f.wire, builder.field(f).schema])));
}
