import type { ServerResponse } from 'node:http';
import type { Dispatch, RequestContext } from './context.ts';
import type { AnyRoute } from './route.ts';
import { readJsonBody } from './body.ts';
import { DONE, isThenable } from './internal/run-next.ts';
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

  // Plain functions, not async: a handler that answers synchronously costs no promise at all,
  // one that returns a promise costs one reaction (async + await made two, even for plain values).
  function answer(ctx: RequestContext): Promise<void> {
    const result = handler(ctx);
    if (!isThenable(result)) {
      send(ctx.res, result);
      return DONE;
    }
    return Promise.resolve(result).then((value) => send(ctx.res, value));
  }

  return function endpoint(ctx) {
    try {
      // Schemas may reshape a part (coerce, default, transform); the handler sees their output.
      if (params !== undefined) ctx.params = validate(params, ctx.params, 'params') as Record<string, unknown>;
      if (query !== undefined) ctx.query = validate(query, ctx.query, 'query') as Record<string, unknown>;
      if (headers !== undefined) ctx.headers = validate(headers, ctx.req.headers, 'headers') as Record<string, unknown>;
      if (body !== undefined) {
        return readJsonBody(ctx).then((raw) => {
          ctx.body = validate(body, raw, 'body');
          return answer(ctx);
        });
      }
      return answer(ctx);
    } catch (err) {
      // Errors travel as rejections, as they did when this step was async.
      return Promise.reject(err);
    }
  };
}

function send(res: ServerResponse, result: unknown): void {
  if (!res.headersSent && !res.writableEnded) sendJson(res, res.statusCode, result);
}
