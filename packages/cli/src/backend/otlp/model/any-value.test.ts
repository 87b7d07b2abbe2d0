import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import protobuf from 'protobufjs';
import { decodeProtobufRequest } from '../decode-protobuf.ts';
import { otlpRoot, otlpTypes } from '../schema.ts';
import { anyValueKind, anyValueToAttr, keyValuesToAttributes, stringAttribute } from './any-value.ts';
import type { AnyValueLike } from './types.ts';

const AnyValue = otlpRoot.lookupType('opentelemetry.proto.common.v1.AnyValue');

/** An AnyValue whose wire bytes set a string member, then an int member: the oneof keeps the last. */
function stringThenInt(): Uint8Array {
  return protobuf.Writer.create().uint32((1 << 3) | 2).string('first').uint32((3 << 3) | 0).int64(7).finish();
}

/** The same value as the receivers' hand-written decoder builds it (an attribute of a decoded span). */
function viaReceiversDecoder(value: Uint8Array): AnyValueLike {
  const kv = protobuf.Writer.create().uint32((1 << 3) | 2).string('k').uint32((2 << 3) | 2).bytes(value).finish();
  const span = protobuf.Writer.create()
    .uint32((1 << 3) | 2).bytes(Buffer.alloc(16, 1))
    .uint32((2 << 3) | 2).bytes(Buffer.alloc(8, 2))
    .uint32((9 << 3) | 2).bytes(kv)
    .finish();
  const scopeSpans = protobuf.Writer.create().uint32((2 << 3) | 2).bytes(span).finish();
  const resourceSpans = protobuf.Writer.create().uint32((2 << 3) | 2).bytes(scopeSpans).finish();
  const request = protobuf.Writer.create().uint32((1 << 3) | 2).bytes(resourceSpans).finish();
  return decodeProtobufRequest(request).resourceSpans[0].scopeSpans[0].spans[0].attributes[0].value!;
}

describe('anyValueToAttr: one conversion for every producer', () => {
  it('reads the member set last when the wire sets two, as protobufjs and the receivers do', () => {
    const bytes = stringThenInt();
    const decoded = AnyValue.decode(bytes) as unknown as AnyValueLike & { value?: string };
    assert.equal(decoded.value, 'intValue', "protobufjs' own oneof getter");
    assert.equal(anyValueKind(decoded), 'intValue');
    assert.equal(anyValueToAttr(decoded), 7, 'a stored span (decoded by protobufjs) reads as the receivers read it');
    assert.equal(anyValueToAttr(viaReceiversDecoder(bytes)), 7);
  });

  it('gives the same value whichever decoder built it, and for hand-built values', () => {
    const cases: [Record<string, unknown>, unknown][] = [
      [{ stringValue: 'héllo' }, 'héllo'],
      [{ stringValue: '' }, ''],
      [{ boolValue: false }, false],
      [{ intValue: '-9007199254740993' }, -9007199254740993n],
      [{ intValue: '9007199254740991' }, 9007199254740991],
      [{ doubleValue: -0.5 }, -0.5],
      [{ bytesValue: Buffer.from([1, 2, 255]) }, 'AQL/'],
      [{ arrayValue: { values: [{ intValue: 1 }, { stringValue: 'a' }, {}] } }, [1, 'a', null]],
      [{ kvlistValue: { values: [{ key: 'x', value: { boolValue: true } }, { key: 'x', value: { boolValue: false } }] } }, { x: false }],
      [{}, null],
    ];
    for (const [object, expected] of cases) {
      const bytes = AnyValue.encode(AnyValue.fromObject(object)).finish();
      const label = JSON.stringify(object);
      assert.deepStrictEqual(anyValueToAttr(AnyValue.decode(bytes) as AnyValueLike), expected, `protobufjs: ${label}`);
      assert.deepStrictEqual(anyValueToAttr(AnyValue.fromObject(object) as AnyValueLike), expected, `fromObject (OTLP/JSON): ${label}`);
      assert.deepStrictEqual(anyValueToAttr(viaReceiversDecoder(bytes)), expected, `receivers: ${label}`);
    }
    assert.equal(anyValueToAttr({ intValue: { low: -1, high: -1, unsigned: false } }), -1, 'a signed Long pair');
    assert.equal(anyValueToAttr({ stringValue: 'plain' }), 'plain', 'a hand-built value names no member');
  });

  it('keeps a repeated key last and a __proto__ key as an own attribute', () => {
    const attributes = keyValuesToAttributes([
      { key: 'a', value: { stringValue: '1' } },
      { key: '__proto__', value: { stringValue: 'p' } },
      { key: 'a', value: { stringValue: '2' } },
    ]);
    assert.equal(attributes.a, '2');
    assert.ok(Object.hasOwn(attributes, '__proto__'));
    assert.equal(Object.getPrototypeOf(attributes), Object.prototype);
  });

  it('finds a string attribute by key, skipping values of other kinds', () => {
    const resource = otlpTypes.ResourceSpans.decode(
      otlpTypes.ResourceSpans.encode(
        otlpTypes.ResourceSpans.fromObject({
          resource: { attributes: [{ key: 'service.name', value: { intValue: 3 } }, { key: 'service.name', value: { stringValue: 'order' } }] },
        }),
      ).finish(),
    ) as unknown as { resource: { attributes: never[] } };
    assert.equal(stringAttribute(resource.resource.attributes, 'service.name'), 'order');
    assert.equal(stringAttribute(undefined, 'service.name'), '');
  });
});
