import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import type { RouteInfo } from './context.ts';
import type { OperationDoc } from './openapi/document.ts';

/** Methods a route may declare. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';

/** zod schemas for the parts of a request a route validates. */
export interface RequestSchemas {
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  headers?: z.ZodType;
}

/** The output type of schema `K` in `S`, or `D` when the route declares none. */
type Parsed<S, K extends keyof RequestSchemas, D> = S extends { [P in K]: infer T }
  ? T extends z.ZodType
    ? z.output<T>
    : D
  : D;

/** What a handler receives, typed from its route's schemas. */
export interface Context<S extends RequestSchemas = RequestSchemas> {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  /** The request path without the query string. */
  readonly path: string;
  readonly route: RouteInfo;
  readonly params: Parsed<S, 'params', Record<string, string>>;
  readonly query: Parsed<S, 'query', Record<string, string | string[]>>;
  /** Parsed JSON, only when the route declares a `body` schema. */
  readonly body: Parsed<S, 'body', undefined>;
  readonly headers: Parsed<S, 'headers', IncomingHttpHeaders>;
}

/**
 * One route. The handler's return value is sent as JSON with `res.statusCode` (200 unless the
 * handler changed it; 204 when it returns undefined). Throw `HttpError` for 4xx/5xx.
 */
export interface Route<S extends RequestSchemas = RequestSchemas> {
  method: HttpMethod | readonly HttpMethod[];
  /** A find-my-way path template, e.g. `/api/order/:id`. */
  path: string;
  request?: S;
  /** Deadline in ms for this route, overriding `RestConf.Timeout`. */
  timeout?: number;
  /**
   * The success body's schema, for the OpenAPI document only (not checked at run time);
   * `z.void()` documents an empty 204.
   */
  response?: z.ZodType;
  /** Summary, tags, operationId, ... of this route in the OpenAPI document. */
  openapi?: OperationDoc;
  handler: (ctx: Context<S>) => unknown;
}

/** Any route, whatever its schemas (what `addRoutes` takes). */
export interface AnyRoute {
  method: HttpMethod | readonly HttpMethod[];
  path: string;
  request?: RequestSchemas;
  timeout?: number;
  response?: z.ZodType;
  openapi?: OperationDoc;
  handler: (ctx: never) => unknown;
}

/**
 * Declares a route with its handler typed from its schemas; handy for route tables.
 *
 * @example
 *   const getOrder = defineRoute({
 *     method: 'GET',
 *     path: '/api/order/:id',
 *     request: { params: z.object({ id: z.coerce.number().int() }) },
 *     handler: ({ params }) => ({ id: params.id }),
 *   });
 */
export function defineRoute<S extends RequestSchemas = {}>(route: Route<S>): Route<S> {
  return route;
}
