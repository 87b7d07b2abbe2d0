/**
 * Turns a stored trace (encoded OTLP `TracesData`) into the bodies Tempo answers trace-by-id
 * with: v1 JSON `{"batches":[...]}`, v2 JSON `{"trace":{"resourceSpans":[...]}}`, and the
 * protobuf `tempopb.Trace` / `tempopb.TraceByIDResponse` from ./proto/tempo.proto.
 *
 * JSON follows Tempo's (Go jsonpb) conventions: camelCase field names, ids as base64, enums by
 * name, 64-bit integers as strings, default values left out. It is written straight from the
 * stored bytes (otlp/wire/proto-json-writer.ts), the same text protobufjs' `decode` + `toObject` +
 * `JSON.stringify` gave for a fraction of the CPU and garbage; the protobuf bodies are the stored
 * bytes themselves.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import { JsonOut, ProtoJsonWriter, messageSpec, type MessageSpec } from '../otlp/wire/index.ts';

const here = dirname(fileURLToPath(import.meta.url));
const TEMPO_PROTO = join(here, 'proto', 'tempo.proto');
const OTLP_PROTO_DIR = join(here, '..', 'otlp', 'proto');

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

let traceSpec: MessageSpec | undefined;

/** The JSON writer's view of `tempopb.Trace`, built once. */
function traceMessageSpec(): MessageSpec {
  return (traceSpec ??= messageSpec(tempoTypes().trace));
}

const TRACE_RESOURCE_SPANS = 1; // tempopb.Trace.resourceSpans, TracesData.resource_spans

/** JSON of the stored trace's `resourceSpans` wrapped in `prefix` and `suffix` (ASCII). */
function traceJson(tracesData: Uint8Array, prefix: string, suffix: string): Buffer {
  // The JSON is about 3× the protobuf (base64 ids, field names, decimal times); guess generously.
  const out = new JsonOut(tracesData.length * 3 + 64);
  out.ascii(prefix);
  new ProtoJsonWriter(out).elements(traceMessageSpec(), TRACE_RESOURCE_SPANS, tracesData, 0, tracesData.length, 0);
  out.ascii(suffix);
  return out.finish();
}

/**
 * Body of `GET /api/traces/<id>` as JSON text (UTF-8): `{"batches":[...]}`, written straight
 * from the stored bytes. Throws on bytes protobufjs would not decode (not valid UTF-8 and the like).
 */
export function traceJsonV1(tracesData: Uint8Array): Buffer {
  return traceJson(tracesData, '{"batches":', '}');
}

/** Body of `GET /api/v2/traces/<id>` as JSON text (UTF-8): `{"trace":{"resourceSpans":[...]}}`. */
export function traceJsonV2(tracesData: Uint8Array): Buffer {
  return traceJson(tracesData, '{"trace":{"resourceSpans":', '}}');
}

/**
 * Body of `GET /api/traces/<id>` as protobuf `tempopb.Trace`: the stored bytes as they are, since
 * `Trace` and OTLP `TracesData` are the same message on the wire (field 1, repeated ResourceSpans).
 */
export function traceProtoV1(tracesData: Uint8Array): Uint8Array {
  return tracesData;
}

/** Body of `GET /api/v2/traces/<id>` as protobuf `tempopb.TraceByIDResponse`: `trace` (field 1) around the stored bytes. */
export function traceProtoV2(tracesData: Uint8Array): Uint8Array {
  const len = tracesData.length;
  let header = 1;
  for (let n = len; n >= 0x80; n >>>= 7) header++;
  const out = new Uint8Array(1 + header + len);
  out[0] = 0x0a; // field 1, wire type 2
  let pos = 1;
  let n = len;
  for (; n >= 0x80; n >>>= 7) out[pos++] = (n & 0x7f) | 0x80;
  out[pos++] = n;
  out.set(tracesData, pos);
  return out;
}
