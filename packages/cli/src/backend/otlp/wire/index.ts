/**
 * Protobuf on the wire, for the whole backend: the one reader (WireReader), the one adapter for
 * each dependency's undeclared API (protobufjs' nested decoder, Buffer's slice methods), and the
 * JSON writer that turns stored OTLP bytes into Tempo's JSON without decoding them.
 */
export { RECURSION_LIMIT, WireReader } from './wire-reader.ts';
export { nestedDecoder } from './protobufjs-private.ts';
export type { NestedDecoder } from './protobufjs-private.ts';
export { hexSlice, latin1Slice } from './buffer-private.ts';
export { JsonOut } from './json-out.ts';
export { FieldKind, MAX_FIELDS_PER_MESSAGE, messageSpec } from './proto-json-spec.ts';
export type { FieldSpec, MessageSpec } from './proto-json-spec.ts';
export { ProtoJsonWriter } from './proto-json-writer.ts';
