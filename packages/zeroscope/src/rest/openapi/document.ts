/**
 * The OpenAPI 3.1 document of a set of routes, from the zod schemas they validate with: path,
 * query and header schemas become parameters, the body schema the JSON request body, the
 * declared response schema the success response, and the errors the rest package answers with
 * (`{ code, message }`, src/rest/errors.ts) the error responses. The one owner of this mapping:
 * `RestServer` serves it (`OpenApi.Path`) and `zeroscope gen openapi` writes it for a .api file.
 */
import { z } from 'zod';
import { REST_ERROR_CODES } from '../errors.ts';
import type { HttpMethod, RequestSchemas } from '../route.ts';
import { Components, componentRef, type JsonSchema, type SchemaMetadata } from './components.ts';
import { openApiPath } from './path-template.ts';

/** What a route may say about itself in the document, beyond its schemas. */
export interface OperationDoc {
  /** Unique in the document; default: method and path, e.g. `getApiOrderById`. */
  operationId?: string;
  summary?: string;
  description?: string;
  tags?: readonly string[];
  deprecated?: boolean;
  /** The success status the handler sets (`res.statusCode = 201`); default 200, 204 for `z.void()`. */
  status?: number;
}

/** A route as the document sees it (a `Route` minus its handler). */
export interface OpenApiRoute {
  method: HttpMethod | readonly HttpMethod[];
  /** The full find-my-way template, group prefix included: `/api/order/:id`. */
  path: string;
  request?: RequestSchemas;
  /** The success body's schema; `z.void()` documents an empty 204. */
  response?: z.ZodType;
  timeout?: number;
  openapi?: OperationDoc;
}

export interface OpenApiOptions {
  title: string;
  version?: string;
  description?: string;
  /** Where schema ids (component names) and descriptions are read; default `z.globalRegistry`. */
  metadata?: SchemaMetadata;
  /**
   * The server limits that add error responses: `timeout`/`maxConns` > 0 → 503, `maxBytes` > 0
   * → 413 on routes with a body. Unset limits add none.
   */
  limits?: { timeout?: number; maxConns?: number; maxBytes?: number };
}

/** An OpenAPI 3.1 document (the parts this module writes). */
export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description?: string };
  paths: Record<string, Record<string, JsonSchema>>;
  components: { schemas: Record<string, JsonSchema> };
}

const ERROR_SCHEMA = 'RestError';
// OpenAPI ignores header parameters by these names: they are described by other fields.
const IGNORED_HEADERS = new Set(['accept', 'content-type', 'authorization']);

/**
 * @example
 *   const doc = openApiDocument([getOrder, createOrder], { title: 'order-api' });
 */
export function openApiDocument(routes: readonly OpenApiRoute[], options: OpenApiOptions): OpenApiDocument {
  const components = new Components(options.metadata ?? (z.globalRegistry as unknown as SchemaMetadata));
  components.define(ERROR_SCHEMA, {
    type: 'object',
    description: `The body of every error response: a stable code (${REST_ERROR_CODES.VALIDATION}, ${REST_ERROR_CODES.NOT_FOUND}, ...) and a message naming the reason`,
    properties: { code: { type: 'string' }, message: { type: 'string' } },
    required: ['code', 'message'],
  });
  const paths: OpenApiDocument['paths'] = {};
  const ids = new Set<string>();
  for (const route of routes) {
    const { path, params } = openApiPath(route.path);
    const methods: readonly HttpMethod[] = typeof route.method === 'string' ? [route.method] : route.method;
    for (const method of methods) {
      const operationId = uniqueId(route.openapi?.operationId ?? defaultOperationId(method, path), ids);
      (paths[path] ??= {})[method.toLowerCase()] = operationOf(route, method, operationId, params, components, options);
    }
  }
  return {
    openapi: '3.1.0',
    info: { title: options.title, version: options.version ?? '1.0.0', ...(options.description ? { description: options.description } : {}) },
    paths,
    components: { schemas: components.schemas },
  };
}

function operationOf(
  route: OpenApiRoute,
  method: HttpMethod,
  operationId: string,
  pathParams: ReturnType<typeof openApiPath>['params'],
  components: Components,
  options: OpenApiOptions,
): JsonSchema {
  const { params, query, headers, body } = route.request ?? {};
  const parameters: JsonSchema[] = [];

  // Every template parameter must be described, typed by the params schema when there is one.
  const paramShape = params === undefined ? undefined : properties(components, components.convert(params, 'input'));
  for (const p of pathParams) {
    const declared = paramShape?.props[p.name];
    const schema = declared ?? { type: 'string', ...(p.pattern ? { pattern: p.pattern } : {}) };
    parameters.push(parameter(p.name, 'path', true, schema));
  }
  if (query !== undefined) parameters.push(...partParameters(components, query, 'query'));
  if (headers !== undefined) parameters.push(...partParameters(components, headers, 'header').filter((p) => !IGNORED_HEADERS.has(String(p.name).toLowerCase())));

  const doc = route.openapi ?? {};
  const operation: JsonSchema = {
    operationId,
    ...(doc.summary ? { summary: doc.summary } : {}),
    ...(doc.description ? { description: doc.description } : {}),
    ...(doc.tags?.length ? { tags: [...doc.tags] } : {}),
    ...(doc.deprecated ? { deprecated: true } : {}),
    ...(parameters.length ? { parameters } : {}),
  };
  const hasBody = body !== undefined && method !== 'GET' && method !== 'HEAD';
  if (hasBody) {
    operation.requestBody = { required: !acceptsUndefined(body), content: { 'application/json': { schema: components.convert(body, 'input') } } };
  }
  const validates = params !== undefined || query !== undefined || headers !== undefined || hasBody;
  operation.responses = responses(route, components, options, validates, hasBody);
  return operation;
}

function partParameters(components: Components, schema: z.ZodType, where: 'query' | 'header'): JsonSchema[] {
  const json = components.convert(schema, 'input');
  const shape = properties(components, json);
  if (shape === undefined) {
    // Not an object with named keys (a record, a union): one free-form parameter spread over the query.
    return where === 'query' ? [{ name: 'query', in: 'query', required: false, style: 'form', explode: true, schema: json }] : [];
  }
  return Object.entries(shape.props).map(([name, s]) => parameter(name, where, shape.required.has(name), s));
}

function parameter(name: string, where: 'path' | 'query' | 'header', required: boolean, schema: JsonSchema): JsonSchema {
  const description = typeof schema.description === 'string' ? { description: schema.description } : {};
  const deprecated = schema.deprecated === true ? { deprecated: true } : {};
  return { name, in: where, required, ...description, ...deprecated, schema };
}

/** The named properties of an object schema (through a component reference), or undefined. */
function properties(components: Components, json: JsonSchema): { props: Record<string, JsonSchema>; required: Set<string> } | undefined {
  const target = components.resolve(json);
  if (typeof target.properties !== 'object' || target.properties === null) return undefined;
  return { props: target.properties as Record<string, JsonSchema>, required: new Set((target.required as string[] | undefined) ?? []) };
}

function responses(route: OpenApiRoute, components: Components, options: OpenApiOptions, validates: boolean, hasBody: boolean): JsonSchema {
  const error = (description: string) => ({ description, content: { 'application/json': { schema: componentRef(ERROR_SCHEMA) } } });
  const out: JsonSchema = {};
  const status = route.openapi?.status;
  if (route.response === undefined) {
    out[String(status ?? 200)] = { description: 'the handler\'s JSON value (the route declares no response schema); 204 when it returns nothing', content: { 'application/json': { schema: {} } } };
  } else if (route.response instanceof z.ZodVoid || route.response instanceof z.ZodUndefined) {
    out[String(status ?? 204)] = { description: 'done, no content' };
  } else {
    out[String(status ?? 200)] = { description: 'OK', content: { 'application/json': { schema: components.convert(route.response, 'output') } } };
  }
  if (validates) {
    const json = hasBody ? `; ${REST_ERROR_CODES.BAD_JSON}: the body is not JSON` : '';
    out['400'] = error(`${REST_ERROR_CODES.VALIDATION}: a value does not match its schema (the message names each field)${json}`);
  }
  const limits = options.limits ?? {};
  if (hasBody && (limits.maxBytes ?? 0) > 0) out['413'] = error(`${REST_ERROR_CODES.BODY_TOO_LARGE}: the body is over ${limits.maxBytes} bytes`);
  out['500'] = error(`${REST_ERROR_CODES.INTERNAL}: an unexpected error`);
  const timeout = route.timeout ?? limits.timeout ?? 0;
  const overload = (limits.maxConns ?? 0) > 0;
  if (timeout > 0 || overload) {
    const reasons = [...(timeout > 0 ? [`${REST_ERROR_CODES.TIMEOUT}: no answer within ${timeout} ms`] : []), ...(overload ? [`${REST_ERROR_CODES.OVERLOADED}: too many requests in flight`] : [])];
    out['503'] = error(reasons.join('; '));
  }
  out.default = error('an error the handler raised (HttpError): its status, code and message');
  return out;
}

function acceptsUndefined(schema: z.ZodType): boolean {
  try {
    return schema.safeParse(undefined).success;
  } catch {
    return false;
  }
}

/** `GET /api/order/{id}` → `getApiOrderById`. */
function defaultOperationId(method: HttpMethod, path: string): string {
  const words = path.split(/[^A-Za-z0-9{}*]+/).filter(Boolean).map((part) => {
    const param = /^\{(.+)\}$/.exec(part);
    const word = param ? `By${capitalize(param[1] === '*' ? 'Wildcard' : param[1]!)}` : capitalize(part);
    return word.replace(/[^A-Za-z0-9]/g, '');
  });
  return method.toLowerCase() + (words.join('') || 'Root');
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function uniqueId(id: string, taken: Set<string>): string {
  let out = id;
  for (let n = 2; taken.has(out); n++) out = `${id}${n}`;
  taken.add(out);
  return out;
}
