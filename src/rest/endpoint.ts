import type { Dispatch, RequestContext } from './context.ts';
import type { AnyRoute } from './route.ts';
import { readJsonBody } from './body.ts';
import { sendJson } from './respond.ts';
import { validate } from './validate.ts';

/**
 * The innermost step of a route's chain: validate the declared request parts, call the
 * handler, send what it returns. Nothing is sent if the response already went out (the
 * handler wrote it itself, or a timeout answered first).
 */
export function routeEndpoint(route: AnyRoute): Dispatch {
  const { params, query, body, headers } = route.request ?? {};
  const handler = route.handler as (ctx: RequestContext) => unknown;
  return async function endpoint(ctx) {
    // Schemas may reshape a part (coerce, default, transform); the handler sees their output.
    if (params !== undefined) ctx.params = validate(params, ctx.params, 'params') as Record<string, unknown>;
    if (query !== undefined) ctx.query = validate(query, ctx.query, 'query') as Record<string, unknown>;
    if (headers !== undefined) ctx.headers = validate(headers, ctx.req.headers, 'headers') as Record<string, unknown>;
    if (body !== undefined) ctx.body = validate(body, await readJsonBody(ctx), 'body');
    const result = await handler(ctx);
    const res = ctx.res;
    if (!res.headersSent && !res.writableEnded) sendJson(res, res.statusCode, result);
  };
}
