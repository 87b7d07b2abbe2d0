/**
 * Turns a stored trace (encoded OTLP `TracesData`) into the bodies Tempo answers trace-by-id
 * with: v1 JSON `{"batches":[...]}`, v2 JSON `{"trace":{"resourceSpans":[...]}}`, and the
 * protobuf `tempopb.Trace` / `tempopb.TraceByIDResponse` from ./proto/tempo.proto.
 *
 * JSON follows Tempo's (Go jsonpb) conventions: camelCase field names, ids as base64, enums by
 * name, 64-bit integers as strings, default values left out.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

const here = dirname(fileURLToPath(import.meta.url));
const TEMPO_PROTO = join(here, 'proto', 'tempo.proto');
const OTLP_PROTO_DIR = join(here, '..', 'otlp', 'proto');

const JSON_OPTIONS: protobuf.IConversionOptions = {
  longs: String,
  enums: String,
  bytes: String,
  defaults: false,
  json: true, // NaN and Infinity as strings, as proto3 JSON wants
};

function loadRoot(): protobuf.Root {
  const root = new protobuf.Root();
  // tempo.proto imports the OTLP schema by bare file name; look beside the importing file first.
  root.resolvePath = (origin, target) => {
    const local = origin ? join(dirname(origin), target) : target;
    return existsSync(local) ? local : join(OTLP_PROTO_DIR, target);
  };
  root.loadSync(TEMPO_PROTO, { keepCase: false });
  root.resolveAll();
  return root;
}

let types: { trace: protobuf.Type; byIdResponse: protobuf.Type } | undefined;

/** The tempopb types, loaded once on first use. */
export function tempoTypes(): { trace: protobuf.Type; byIdResponse: protobuf.Type } {
  if (!types) {
    const root = loadRoot();
    types = {
      trace: root.lookupType('tempopb.Trace'),
      byIdResponse: root.lookupType('tempopb.TraceByIDResponse'),
    };
  }
  return types;
}

/** Decodes stored `TracesData` bytes; `tempopb.Trace` shares its wire format. */
function decodeTrace(tracesData: Uint8Array): protobuf.Message {
  return tempoTypes().trace.decode(tracesData);
}

/** `resourceSpans` of a stored trace as Tempo's JSON objects. */
function resourceSpansJson(tracesData: Uint8Array): unknown[] {
  const trace = tempoTypes().trace.toObject(decodeTrace(tracesData), JSON_OPTIONS) as {
    resourceSpans?: unknown[];
  };
  return trace.resourceSpans ?? [];
}

/** Body of `GET /api/traces/<id>` as JSON. */
export function traceJsonV1(tracesData: Uint8Array): { batches: unknown[] } {
  return { batches: resourceSpansJson(tracesData) };
}

/** Body of `GET /api/v2/traces/<id>` as JSON. */
export function traceJsonV2(tracesData: Uint8Array): { trace: { resourceSpans: unknown[] } } {
  return { trace: { resourceSpans: resourceSpansJson(tracesData) } };
}

/** Body of `GET /api/traces/<id>` as protobuf `tempopb.Trace`. */
export function traceProtoV1(tracesData: Uint8Array): Uint8Array {
  const { trace } = tempoTypes();
  return trace.encode(decodeTrace(tracesData)).finish();
}

/** Body of `GET /api/v2/traces/<id>` as protobuf `tempopb.TraceByIDResponse`. */
export function traceProtoV2(tracesData: Uint8Array): Uint8Array {
  const { byIdResponse } = tempoTypes();
  return byIdResponse.encode(byIdResponse.create({ trace: decodeTrace(tracesData) })).finish();
}
