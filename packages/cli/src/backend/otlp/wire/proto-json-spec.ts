/**
 * What the protobuf-to-JSON writer needs to know about a message type, taken once from the
 * protobufjs reflection of the schema, so the writer follows the .proto files: field numbers,
 * wire types, JSON names (camelCase), enum names, which fields are repeated or in a oneof.
 */
import protobuf from 'protobufjs';

/** How a field's value is read and written. */
export const FieldKind = {
  String: 0,
  Bytes: 1,
  Bool: 2,
  Uint32: 3,
  Enum: 4,
  Fixed32: 5,
  Fixed64: 6,
  Int64: 7,
  Uint64: 8,
  Double: 9,
  Message: 10,
} as const;
/** One of the `FieldKind` values. */
export type FieldKind = (typeof FieldKind)[keyof typeof FieldKind];

/** The most fields a message may have (the writer's per-depth scratch space is sized by it). */
export const MAX_FIELDS_PER_MESSAGE = 64;

/** One field of a message. */
export interface FieldSpec {
  readonly number: number;
  /** The wire type protobufjs accepts for it; any other is skipped as an unknown field. */
  readonly wireType: number;
  readonly kind: FieldKind;
  readonly repeated: boolean;
  /** In a oneof: written even when it holds the default, and the last member seen wins. */
  readonly oneof: boolean;
  /** `"jsonName":` as ASCII bytes. */
  readonly key: Uint8Array;
  /** `,"jsonName":`, for every field but an object's first. */
  readonly nextKey: Uint8Array;
  readonly message: MessageSpec | undefined;
  /** Enum value → `"NAME"` as bytes; values not listed are written as numbers. */
  readonly enumNames: ReadonlyMap<number, Uint8Array> | undefined;
}

/** One message type. */
export interface MessageSpec {
  readonly name: string;
  /** Sorted by field number: the order protobufjs' `toObject` writes them in. */
  readonly fields: readonly FieldSpec[];
  /** Field number → index in `fields`, -1 when unknown; numbers past its end are unknown. */
  readonly indexOf: Int16Array;
}

const SCALARS: Partial<Record<string, { kind: FieldKind; wireType: number }>> = {
  string: { kind: FieldKind.String, wireType: 2 },
  bytes: { kind: FieldKind.Bytes, wireType: 2 },
  bool: { kind: FieldKind.Bool, wireType: 0 },
  uint32: { kind: FieldKind.Uint32, wireType: 0 },
  fixed32: { kind: FieldKind.Fixed32, wireType: 5 },
  fixed64: { kind: FieldKind.Fixed64, wireType: 1 },
  int64: { kind: FieldKind.Int64, wireType: 0 },
  uint64: { kind: FieldKind.Uint64, wireType: 0 },
  double: { kind: FieldKind.Double, wireType: 1 },
};

const ascii = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));

const built = new WeakMap<protobuf.Type, MessageSpec>();

/**
 * The spec of `type` and, recursively, of the message types it uses. Throws for what the writer
 * does not implement (maps, groups, packed repeated scalars, several oneofs): the OTLP trace
 * schema uses none of them, and a schema change that brings one in should fail loudly.
 */
export function messageSpec(type: protobuf.Type): MessageSpec {
  const known = built.get(type);
  if (known) return known;
  const fields: FieldSpec[] = [];
  const spec: MessageSpec = { name: type.fullName, fields, indexOf: new Int16Array(0) };
  built.set(type, spec); // before the fields: AnyValue and ArrayValue refer to each other
  const unsupported = (field: protobuf.Field, what: string): Error =>
    new Error(`${type.fullName}.${field.name}: ${what} is not supported by the JSON writer`);

  const realOneofs = type.oneofsArray.filter((o) => !o.isProto3Optional);
  if (realOneofs.length > 1) throw new Error(`${type.fullName}: more than one oneof is not supported by the JSON writer`);

  for (const field of [...type.fieldsArray].sort((a, b) => a.id - b.id)) {
    field.resolve();
    if (field.map) throw unsupported(field, 'a map');
    if (field.delimited) throw unsupported(field, 'group encoding');
    if (field.partOf?.isProto3Optional) throw unsupported(field, 'proto3 optional');
    const resolved = field.resolvedType;
    let kind: FieldKind;
    let wireType: number;
    let message: MessageSpec | undefined;
    let enumNames: Map<number, Uint8Array> | undefined;
    if (resolved instanceof protobuf.Type) {
      kind = FieldKind.Message;
      wireType = 2;
      message = messageSpec(resolved);
    } else if (resolved instanceof protobuf.Enum) {
      kind = FieldKind.Enum;
      wireType = 0;
      enumNames = new Map(Object.entries(resolved.valuesById).map(([id, name]) => [Number(id), ascii(`"${name}"`)]));
    } else {
      const scalar = SCALARS[field.type];
      if (!scalar) throw unsupported(field, `type ${field.type}`);
      ({ kind, wireType } = scalar);
    }
    if (field.repeated && wireType !== 2) throw unsupported(field, 'a repeated (packable) scalar');
    fields.push({
      number: field.id,
      wireType,
      kind,
      repeated: field.repeated,
      oneof: field.partOf !== null && field.partOf !== undefined,
      key: ascii(`"${field.name}":`),
      nextKey: ascii(`,"${field.name}":`),
      message,
      enumNames,
    });
  }
  const maxNumber = fields.reduce((max, f) => Math.max(max, f.number), 0);
  const indexOf = new Int16Array(maxNumber + 1).fill(-1);
  fields.forEach((f, i) => (indexOf[f.number] = i));
  (spec as { indexOf: Int16Array }).indexOf = indexOf;
  if (fields.length > MAX_FIELDS_PER_MESSAGE) throw new Error(`${type.fullName}: more than ${MAX_FIELDS_PER_MESSAGE} fields`);
  return spec;
}
