/**
 * `GET /api/traces/<id>` and `GET /api/v2/traces/<id>`: one trace, as JSON by default or as
 * tempopb protobuf when the client sends `Accept: application/protobuf` (Grafana does, trying v2
 * first and falling back to v1 on a 404).
 */
import { TraceNotFoundError } from './errors.ts';
import { parseTraceIdHex, timeRangeParams } from './params.ts';
import { MEDIA_JSON, URL_PARAM_TRACE_ID } from './paths.ts';
import { send, sendProto, wantsProtobuf } from './respond.ts';
import type { RouteContext, RouteHandler } from './route.ts';
import { traceJsonV1, traceJsonV2, traceProtoV1, traceProtoV2 } from './trace-codec.ts';
import type { TraceReader } from './types.ts';

/** The JSON bodies are already text: sent as they are, as `sendJson` would send them. */
const JSON_HEADERS: Record<string, string> = { 'content-type': MEDIA_JSON };

async function readTrace(traces: TraceReader, ctx: RouteContext): Promise<Uint8Array> {
  const traceId = parseTraceIdHex(ctx.params[URL_PARAM_TRACE_ID] ?? '');
  const range = timeRangeParams(ctx.query);
  const body = await traces.getTrace(traceId, Object.keys(range).length > 0 ? range : undefined);
  if (!body) throw new TraceNotFoundError();
  return body;
}

/** Handler for `GET /api/traces/<id>`: `{"batches":[...]}` or `tempopb.Trace`. */
export function traceByIdV1Handler(traces: TraceReader): RouteHandler {
  return async function traceByIdV1(ctx) {
    const body = await readTrace(traces, ctx);
    if (wantsProtobuf(ctx.req)) sendProto(ctx.req, ctx.res, traceProtoV1(body));
    else send(ctx.req, ctx.res, 200, traceJsonV1(body), JSON_HEADERS);
  };
}

/** Handler for `GET /api/v2/traces/<id>`: `{"trace":{...}}` or `tempopb.TraceByIDResponse`. */
export function traceByIdV2Handler(traces: TraceReader): RouteHandler {
  return async function traceByIdV2(ctx) {
    const body = await readTrace(traces, ctx);
    if (wantsProtobuf(ctx.req)) sendProto(ctx.req, ctx.res, traceProtoV2(body));
    else send(ctx.req, ctx.res, 200, traceJsonV2(body), JSON_HEADERS);
  };
}
