import type { ServerResponse } from 'node:http';
import { logger } from '../log/index.ts';
import type { Dispatch, RequestContext } from './context.ts';
import { HttpError } from './errors.ts';
import { runNext } from './internal/run-next.ts';

/** Called with errors no middleware turned into an HttpError (the Recover middleware is off). */
export type ErrorReporter = (err: unknown, ctx: RequestContext) => void;

/**
 * The default ErrorReporter: an error line on the process logger. Recover calls it inside the
 * request's span, so its line carries the request's `trace_id`.
 */
export function logRequestError(err: unknown, ctx: RequestContext): void {
  logger().error({ err }, `rest: ${ctx.req.method} ${ctx.path} failed`);
}

/** Writes `value` as a JSON response; undefined becomes an empty 204 when status is 200. */
export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  if (value === undefined) {
    res.statusCode = status === 200 ? 204 : status;
    res.end();
    return;
  }
  const body = JSON.stringify(value);
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('content-length', Buffer.byteLength(body));
  res.end(body);
}

/** Writes an HttpError as `{ code, message }` with its status and headers. */
export function sendError(res: ServerResponse, err: HttpError): void {
  if (err.headers !== undefined) {
    for (const name in err.headers) res.setHeader(name, err.headers[name]);
  }
  sendJson(res, err.status, err.toJSON());
}

/**
 * The outermost step of every chain: whatever is thrown ends here. HttpErrors become their
 * response. Anything else means Recover is off; like net/http after an unrecovered panic, the
 * connection is dropped (and the error reported) rather than answered.
 */
export function respondErrors(next: Dispatch, report: ErrorReporter): Dispatch {
  // Plain, not async: one reaction on the chain's promise instead of two promises of its own.
  return function respond(ctx) {
    return runNext(next, ctx).then(undefined, (err: unknown) => answerFailure(err, ctx, report));
  };
}

/** What the client gets when the chain failed with `err` (and who hears about it). */
export function answerFailure(err: unknown, ctx: RequestContext, report: ErrorReporter): void {
  const res = ctx.res;
  if (err instanceof HttpError) {
    if (res.headersSent) {
      // Too late to change the status: cut the response short so the client sees a failure.
      if (!res.writableEnded) res.destroy();
      return;
    }
    try {
      sendError(res, err);
      return;
    } catch (unsendable) {
      // Its headers cannot be written (a value with a newline, say): the handler's fault, so a 500
      // without them, and the failure reported. It must not escape: nothing awaits the chain.
      if (err.headers !== undefined) for (const name in err.headers) res.removeHeader(name);
      reportSafely(report, new Error(`the ${err.status} answer could not be sent: ${unsendable instanceof Error ? unsendable.message : String(unsendable)}`, { cause: err }), ctx);
      try {
        sendError(res, new HttpError(500, 'internal error'));
      } catch {
        res.destroy();
      }
      return;
    }
  }
  res.destroy();
  reportSafely(report, err, ctx);
}

function reportSafely(report: ErrorReporter, err: unknown, ctx: RequestContext): void {
  try {
    report(err, ctx);
  } catch {
    // A failing reporter must not turn into an unhandled rejection that kills the process.
  }
}
