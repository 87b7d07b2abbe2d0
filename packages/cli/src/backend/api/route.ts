/** The shape every route handler of the query API has. */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** One request as a handler sees it. */
export interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  /** Path parameters, already percent-decoded. */
  params: Record<string, string | undefined>;
  query: URLSearchParams;
}

/** A route handler; thrown ApiErrors become their status, anything else a 500. */
export type RouteHandler = (ctx: RouteContext) => Promise<void> | void;
