/**
 * The one place that calls protobufjs' undeclared API: a generated decoder called the way
 * generated code calls a nested message's decoder, `decode(reader, length, endGroup, depth, into)`,
 * after `type.setup()` has generated it. The public `Type.decode(reader, length)` has no depth
 * (a nested message would restart the nesting count at 0) and no `into` (a singular message field
 * seen twice must merge into the first). protobufjs-private.test.ts fails when an upgrade changes
 * this contract.
 */
import protobuf from 'protobufjs';

/** protobufjs' nesting limit (protoc's default): a message nested deeper fails to decode. */
export const RECURSION_LIMIT: number = protobuf.Reader.recursionLimit;

/**
 * Decodes one message of `length` bytes at the reader's position as the message at nesting
 * `depth`; with `into`, its fields merge into that message (as a repeated occurrence does).
 * Leaves the reader after the message. Throws protobufjs' errors.
 */
export type NestedDecoder = (reader: protobuf.Reader, length: number, depth: number, into?: object | null) => object;

type GeneratedDecode = (r: protobuf.Reader, length: number, endGroup: undefined, depth: number, into?: object) => object;

/** The nested-message decoder protobufjs generates for `type`. */
export function nestedDecoder(type: protobuf.Type): NestedDecoder {
  // setup() replaces the prototype's `decode` with the generated function on the instance.
  type.setup();
  const decode = type.decode as unknown as GeneratedDecode;
  return (reader, length, depth, into) => decode.call(type, reader, length, undefined, depth, into ?? undefined);
}
