/**
 * `GET /api/red?service=&start=&end=` (a zeroscope extension): RED per service and route over a
 * window (default: the last hour), computed from stored spans, with example trace ids per row.
 */
import type { TraceFetcher } from '../query/storage.ts';
import { BadParamError } from './errors.ts';
import { timeRangeParams } from './params.ts';
import { DEFAULT_RED_WINDOW_SECONDS, URL_PARAM_SERVICE } from './paths.ts';
import { RedAccumulator } from './red-stats.ts';
import { sendJson } from './respond.ts';
import type { RouteHandler } from './route.ts';

/** At most this many traces are read per request; past it the answer says `truncated`. */
export const RED_MAX_TRACES = 20_000;

/** Handler for `GET /api/red`. `now` is injectable for tests. */
export function redHandler(fetcher: TraceFetcher, now: () => number = Date.now): RouteHandler {
  return async function red(ctx) {
    const range = timeRangeParams(ctx.query);
    const endUnixNano = range.endUnixNano ?? BigInt(now()) * 1_000_000n;
    const startUnixNano = range.startUnixNano ?? endUnixNano - BigInt(DEFAULT_RED_WINDOW_SECONDS) * 1_000_000_000n;
    if (startUnixNano >= endUnixNano) throw new BadParamError('http parameter start must be before end');
    const service = ctx.query.get(URL_PARAM_SERVICE) || undefined;
    const acc = new RedAccumulator({ startUnixNano, endUnixNano }, service);
    let inspectedTraces = 0;
    let truncated = false;
    for await (const trace of fetcher.fetchTraces({ startUnixNano, endUnixNano, ...(service ? { serviceNames: [service] } : {}) })) {
      if (inspectedTraces >= RED_MAX_TRACES) {
        truncated = true;
        break;
      }
      inspectedTraces++;
      for (const span of trace.spans) acc.add(span);
    }
    sendJson(ctx.req, ctx.res, 200, {
      start: Number(startUnixNano / 1_000_000_000n),
      end: Number(endUnixNano / 1_000_000_000n),
      windowSeconds: Number(endUnixNano - startUnixNano) / 1e9,
      inspectedTraces,
      truncated,
      routes: acc.rows(),
    });
  };
}
