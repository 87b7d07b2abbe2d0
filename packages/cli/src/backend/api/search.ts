/**
 * `GET /api/search`: TraceQL (`q`) or tag (`tags`, logfmt) search with Tempo's parameters and
 * validation, answered with the search engine's Tempo JSON.
 */
import type { TraceFetcher } from '../query/storage.ts';
import { BadParamError, BadQueryError } from './errors.ts';
import { durationParam, positiveIntParam, timeRangeParams } from './params.ts';
import {
  DEFAULT_SEARCH_LIMIT,
  DEFAULT_SPANS_PER_SPAN_SET,
  URL_PARAM_LIMIT,
  URL_PARAM_MAX_DURATION,
  URL_PARAM_MIN_DURATION,
  URL_PARAM_QUERY,
  URL_PARAM_SPANS_PER_SPAN_SET,
  URL_PARAM_TAGS,
} from './paths.ts';
import { sendJson } from './respond.ts';
import type { RouteHandler } from './route.ts';
import type { SearchEngine, SearchRequest } from './types.ts';

/** Parses the search parameters into a SearchRequest; throws BadParamError/BadQueryError. */
export function parseSearchRequest(params: URLSearchParams, engine: SearchEngine): SearchRequest {
  const q = params.get(URL_PARAM_QUERY) ?? '';
  const tags = params.get(URL_PARAM_TAGS) ?? '';
  if (q !== '' && tags !== '') {
    throw new BadParamError("invalid request: can't specify tags and q in the same query");
  }
  const request: SearchRequest = {
    ...timeRangeParams(params),
    limit: positiveIntParam(params, URL_PARAM_LIMIT, DEFAULT_SEARCH_LIMIT),
    spss: positiveIntParam(params, URL_PARAM_SPANS_PER_SPAN_SET, DEFAULT_SPANS_PER_SPAN_SET),
  };
  const minDurationNanos = durationParam(params, URL_PARAM_MIN_DURATION);
  const maxDurationNanos = durationParam(params, URL_PARAM_MAX_DURATION);
  if (minDurationNanos !== undefined && maxDurationNanos !== undefined && minDurationNanos > maxDurationNanos) {
    throw new BadParamError('invalid maxDuration: must be greater than minDuration');
  }
  if (minDurationNanos) request.minDurationNanos = minDurationNanos;
  if (maxDurationNanos) request.maxDurationNanos = maxDurationNanos;
  if (q !== '') request.query = q;
  if (tags !== '') {
    try {
      request.query = engine.tagsToQuery(tags);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      throw new BadParamError(reason.startsWith('invalid tags') ? reason : `invalid tags: ${reason}`, { cause: err });
    }
  }
  return request;
}

/** Handler for `GET /api/search`. */
export function searchHandler(fetcher: TraceFetcher, engine: SearchEngine): RouteHandler {
  return async function search(ctx) {
    const request = parseSearchRequest(ctx.query, engine);
    let result: unknown;
    try {
      result = await engine.search(fetcher, request);
    } catch (err) {
      if (engine.isQueryError(err)) throw new BadQueryError((err as Error).message, { cause: err });
      throw err;
    }
    sendJson(ctx.req, ctx.res, 200, result);
  };
}
