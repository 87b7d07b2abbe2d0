import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  OtlpDecodeError,
  decodeProtobufRequest,
  encodeTracesData,
  longToBigInt,
  otlpTypes,
  receivedSpanBytes,
  requestToQuerySpans,
  validateRequest,
} from '../index.ts';
import { decodeRequestKeepingSpanBytes, referenceSpanBytes } from '../testing/reference-decoder.ts';
import type { AnyValue, ExportTraceServiceRequest, KeyValue } from '../model/types.ts';
import { createRng } from '../../../../../../test/lib/random.ts';
import { lengthDelimited } from '../testing/trace-builder.ts';

const STRINGS = ['', 'a', 'service.name', 'http.request.method', 'héllo wörld', '日本', '😀 emoji', 'x'.repeat(70), 'y'.repeat(300), '\u0000nul'];

function randomValue(rand: () => number, depth: number): Record<string, unknown> {
  const pick = Math.floor(rand() * (depth > 2 ? 5 : 8));
  switch (pick) {
    case 0:
      return { stringValue: STRINGS[Math.floor(rand() * STRINGS.length)] };
    case 1:
      return { boolValue: rand() < 0.5 };
    case 2: {
      const ints = ['0', '1', '-1', '200', '9007199254740991', '9007199254740993', '-9007199254740993', '-9223372036854775808', '9223372036854775807', '4294967296'];
      return { intValue: ints[Math.floor(rand() * ints.length)] };
    }
    case 3:
      return { doubleValue: [0, -0, 0.5, -1e300, Number.NaN, Infinity][Math.floor(rand() * 6)] };
    case 4:
      return { bytesValue: Buffer.from([1, 2, 3].slice(0, Math.floor(rand() * 4))) };
    case 5:
      return { arrayValue: { values: Array.from({ length: Math.floor(rand() * 3) }, () => randomValue(rand, depth + 1)) } };
    case 6:
      return { kvlistValue: { values: randomAttributes(rand, depth + 1, 2) } };
    default:
      return {};
  }
}

function randomAttributes(rand: () => number, depth: number, max: number): Record<string, unknown>[] {
  return Array.from({ length: Math.floor(rand() * max) }, () => ({ key: STRINGS[Math.floor(rand() * STRINGS.length)], value: randomValue(rand, depth) }));
}

function randomId(rand: () => number, bytes: number): Buffer {
  // Mostly valid ids, sometimes empty or short, so validation is exercised too.
  const n = rand() < 0.97 ? bytes : Math.floor(rand() * bytes);
  return Buffer.from(Array.from({ length: n }, () => Math.floor(rand() * 256)));
}

function randomRequest(rand: () => number): Record<string, unknown> {
  const time = () => ['0', '1', '1700000000000000000', '18446744073709551615'][Math.floor(rand() * 4)];
  return {
    resourceSpans: Array.from({ length: 1 + Math.floor(rand() * 2) }, () => ({
      resource: rand() < 0.9 ? { attributes: randomAttributes(rand, 0, 4), droppedAttributesCount: Math.floor(rand() * 2) } : undefined,
      schemaUrl: rand() < 0.3 ? 'https://opentelemetry.io/schemas/1.21.0' : '',
      scopeSpans: Array.from({ length: Math.floor(rand() * 3) }, () => ({
        scope: rand() < 0.8 ? { name: 'lib', version: rand() < 0.5 ? '1.0' : '', attributes: randomAttributes(rand, 0, 2) } : undefined,
        schemaUrl: rand() < 0.2 ? 'x' : '',
        spans: Array.from({ length: Math.floor(rand() * 4) }, () => ({
          traceId: randomId(rand, 16),
          spanId: randomId(rand, 8),
          parentSpanId: rand() < 0.5 ? randomId(rand, 8) : undefined,
          traceState: rand() < 0.2 ? 'k=v' : '',
          name: STRINGS[Math.floor(rand() * STRINGS.length)],
          kind: Math.floor(rand() * 6.2),
          flags: rand() < 0.3 ? 257 : 0,
          startTimeUnixNano: time(),
          endTimeUnixNano: time(),
          attributes: randomAttributes(rand, 0, 6),
          droppedAttributesCount: Math.floor(rand() * 2),
          events: Array.from({ length: Math.floor(rand() * 3) }, () => ({ timeUnixNano: time(), name: 'e', attributes: randomAttributes(rand, 0, 2), droppedAttributesCount: 1 })),
          droppedEventsCount: Math.floor(rand() * 2),
          links: Array.from({ length: Math.floor(rand() * 2) }, () => ({ traceId: randomId(rand, 16), spanId: randomId(rand, 8), traceState: 'a=b', attributes: randomAttributes(rand, 0, 2), flags: 1 })),
          droppedLinksCount: Math.floor(rand() * 2),
          status: rand() < 0.6 ? { code: Math.floor(rand() * 3.2), message: rand() < 0.5 ? 'boom' : '' } : undefined,
        })),
      })),
    })),
  };
}

const hex = (b: Uint8Array | ArrayLike<number> | undefined): string => Buffer.from((b ?? []) as Uint8Array).toString('hex');

function normValue(v: AnyValue | null | undefined): unknown {
  switch (v?.value) {
    case 'stringValue':
      return ['s', v.stringValue];
    case 'boolValue':
      return ['b', v.boolValue];
    case 'intValue':
      return ['i', longToBigInt(v.intValue).toString()];
    case 'doubleValue':
      return ['d', Object.is(v.doubleValue, -0) ? '-0' : String(v.doubleValue)];
    case 'bytesValue':
      return ['y', hex(v.bytesValue ?? undefined)];
    case 'arrayValue':
      return ['a', (v.arrayValue?.values ?? []).map(normValue)];
    case 'kvlistValue':
      return ['k', normAttrs(v.kvlistValue?.values)];
    default:
      return null;
  }
}

function normAttrs(list: readonly KeyValue[] | undefined): unknown {
  return (list ?? []).map((kv) => [kv.key, normValue(kv.value)]);
}

/** Every field of a decoded request as plain comparable data, whichever decoder built it. */
function normalize(request: ExportTraceServiceRequest): unknown {
  return request.resourceSpans.map((rs) => ({
    resource: rs.resource ? otlpTypes.ResourceSpans.toObject(otlpTypes.ResourceSpans.fromObject({ resource: rs.resource }), { longs: String, bytes: String }) : null,
    schemaUrl: rs.schemaUrl,
    scopeSpans: rs.scopeSpans.map((ss) => ({
      scope: ss.scope ? [ss.scope.name, ss.scope.version, normAttrs(ss.scope.attributes), ss.scope.droppedAttributesCount] : null,
      schemaUrl: ss.schemaUrl,
      spans: ss.spans.map((s) => ({
        ids: [hex(s.traceId), hex(s.spanId), hex(s.parentSpanId)],
        scalars: [s.traceState, s.flags, s.name, s.kind, longToBigInt(s.startTimeUnixNano).toString(), longToBigInt(s.endTimeUnixNano).toString()],
        counts: [s.droppedAttributesCount, s.droppedEventsCount, s.droppedLinksCount],
        attributes: normAttrs(s.attributes),
        events: s.events.map((e) => [longToBigInt(e.timeUnixNano).toString(), e.name, normAttrs(e.attributes), e.droppedAttributesCount]),
        links: s.links.map((l) => [hex(l.traceId), hex(l.spanId), l.traceState, normAttrs(l.attributes), l.droppedAttributesCount, l.flags]),
        status: s.status ? [s.status.message, s.status.code] : null,
        bytes: hex(receivedSpanBytes(s) ?? referenceSpanBytes(s)),
      })),
    })),
  }));
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: string };

function viaReference(bytes: Uint8Array): Outcome {
  try {
    const request = decodeRequestKeepingSpanBytes(bytes);
    validateRequest(request, 'protobuf');
    return { ok: true, value: normalize(request) };
  } catch (error) {
    return { ok: false, error: error instanceof OtlpDecodeError ? 'invalid' : (error as Error).constructor.name };
  }
}

function viaDecoder(bytes: Uint8Array): Outcome {
  try {
    return { ok: true, value: normalize(decodeProtobufRequest(bytes)) };
  } catch (error) {
    assert.ok(error instanceof OtlpDecodeError, `a decode failure is an OtlpDecodeError: ${String(error)}`);
    const cause = error.cause;
    return { ok: false, error: cause instanceof Error ? cause.constructor.name : 'invalid' };
  }
}

function assertSame(bytes: Uint8Array, label: string): boolean {
  const expected = viaReference(bytes);
  const actual = viaDecoder(bytes);
  assert.deepEqual(actual, expected, `${label}: ${Buffer.from(bytes).toString('hex').slice(0, 400)}`);
  return expected.ok;
}

function encode(object: Record<string, unknown>): Buffer {
  const type = otlpTypes.ExportTraceServiceRequest;
  return Buffer.from(type.encode(type.fromObject(object)).finish());
}

const ID_FIELDS = Buffer.concat([lengthDelimited(0x0a, Buffer.alloc(16, 1)), lengthDelimited(0x12, Buffer.alloc(8, 2))]);
/** A request holding one span made of the ids plus `extra` span bytes. */
const withSpan = (extra: Uint8Array): Buffer => lengthDelimited(0x0a, lengthDelimited(0x12, lengthDelimited(0x12, Buffer.concat([ID_FIELDS, extra]))));

describe('decodeTracesRequest (via decodeProtobufRequest)', () => {
  it('gives the same request as the protobufjs decoder on random valid requests', () => {
    const rand = createRng(7).next;
    for (let i = 0; i < 300; i++) assertSame(encode(randomRequest(rand)), `request ${i}`);
  });

  it('accepts and rejects exactly what protobufjs does on mutated requests', () => {
    const rand = createRng(11).next;
    let accepted = 0;
    let rejected = 0;
    for (let i = 0; i < 150; i++) {
      const good = encode(randomRequest(rand));
      if (good.length < 4) continue;
      for (let m = 0; m < 12; m++) {
        const bad = Buffer.from(good);
        const at = Math.floor(rand() * bad.length);
        let bytes: Buffer;
        if (m % 3 === 0) bytes = bad.subarray(0, at); // truncated
        else if (m % 3 === 1) {
          bad[at] = Math.floor(rand() * 256); // one byte changed
          bytes = bad;
        } else bytes = Buffer.concat([bad.subarray(0, at), Buffer.from([Math.floor(rand() * 256), Math.floor(rand() * 256)]), bad.subarray(at)]);
        if (assertSame(bytes, `request ${i} mutation ${m}`)) accepted++;
        else rejected++;
      }
    }
    assert.ok(accepted > 50 && rejected > 50, `both outcomes exercised (${accepted} accepted, ${rejected} rejected)`);
  });

  it('agrees on hand-made edge cases: wire types, groups, merges, tags, UTF-8, depth', () => {
    const cases: Record<string, Uint8Array> = {
      'a known field with another wire type is skipped': withSpan(Buffer.from([0x28, 0x05, 0x31, 1, 2, 3, 4, 5, 6, 7, 8])), // name as varint, kind as fixed64
      'a group is skipped': withSpan(Buffer.from([0xfb, 0x07, 0x08, 0x01, 0xfc, 0x07])), // field 127 start group, varint, end group
      'a mismatched end group': withSpan(Buffer.from([0xfb, 0x07, 0x0c])),
      'a stray end group': withSpan(Buffer.from([0x0c])),
      'field number 0': withSpan(Buffer.from([0x00, 0x01])),
      'wire type 6': withSpan(Buffer.from([0x0e])),
      'wire type 7': Buffer.from([0x0f]),
      'two statuses merge': withSpan(Buffer.concat([lengthDelimited(0x7a, Buffer.from([0x18, 0x02])), lengthDelimited(0x7a, lengthDelimited(0x12, Buffer.from('m')))])),
      'two values merge (oneof: last wins)': withSpan(lengthDelimited(0x4a, Buffer.concat([lengthDelimited(0x0a, Buffer.from('k')), lengthDelimited(0x12, lengthDelimited(0x0a, Buffer.from('s'))), lengthDelimited(0x12, Buffer.from([0x18, 0x07]))]))),
      'two array values append': withSpan(lengthDelimited(0x4a, Buffer.concat([lengthDelimited(0x12, lengthDelimited(0x2a, lengthDelimited(0x0a, Buffer.from([0x10, 1])))), lengthDelimited(0x12, lengthDelimited(0x2a, lengthDelimited(0x0a, Buffer.from([0x18, 2]))))]))),
      'an empty value': withSpan(lengthDelimited(0x4a, Buffer.concat([lengthDelimited(0x0a, Buffer.from('k')), lengthDelimited(0x12, Buffer.alloc(0))]))),
      'a key without value': withSpan(lengthDelimited(0x4a, lengthDelimited(0x0a, Buffer.from('k')))),
      'a long bool': withSpan(lengthDelimited(0x4a, lengthDelimited(0x12, Buffer.from([0x10, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00])))),
      'an 11-byte bool': withSpan(lengthDelimited(0x4a, lengthDelimited(0x12, Buffer.from([0x10, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00])))),
      'an 11-byte int64': withSpan(lengthDelimited(0x4a, lengthDelimited(0x12, Buffer.from([0x18, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])))),
      'a 10-byte kind': withSpan(Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])),
      'an 11-byte kind': withSpan(Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])),
      'a 6-byte tag': withSpan(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0x01])),
      'a 5-byte tag with high bits': withSpan(Buffer.from([0x80, 0x80, 0x80, 0x80, 0x7f, 0x00])),
      'a 6-byte length': withSpan(Buffer.from([0x2a, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01])),
      'a huge length': withSpan(Buffer.from([0x2a, 0xff, 0xff, 0xff, 0xff, 0x07])),
      'a tag cut near the end': Buffer.from([0x80, 0x80]),
      'invalid UTF-8 in a name': withSpan(lengthDelimited(0x2a, Buffer.from([0x61, 0xc3, 0x28]))),
      'an encoded surrogate': withSpan(lengthDelimited(0x2a, Buffer.from([0xed, 0xa0, 0x80]))),
      'invalid UTF-8 in an event name': withSpan(lengthDelimited(0x5a, lengthDelimited(0x12, Buffer.from([0xff])))),
      'invalid UTF-8 in a link trace state': withSpan(lengthDelimited(0x6a, Buffer.concat([lengthDelimited(0x0a, Buffer.alloc(16, 1)), lengthDelimited(0x12, Buffer.alloc(8, 1)), lengthDelimited(0x1a, Buffer.from([0xc0, 0x80]))]))),
      'a BOM is kept': withSpan(lengthDelimited(0x2a, Buffer.from([0xef, 0xbb, 0xbf, 0x61]))),
      'a short link span id': withSpan(lengthDelimited(0x6a, Buffer.concat([lengthDelimited(0x0a, Buffer.alloc(16, 1)), lengthDelimited(0x12, Buffer.alloc(4, 1))]))),
      'a repeated resource merges': lengthDelimited(0x0a, Buffer.concat([lengthDelimited(0x0a, lengthDelimited(0x0a, lengthDelimited(0x0a, Buffer.from('a')))), lengthDelimited(0x0a, lengthDelimited(0x0a, lengthDelimited(0x0a, Buffer.from('b'))))])),
      'an unknown top-level field': Buffer.concat([withSpan(Buffer.alloc(0)), Buffer.from([0x10, 0x01])]),
      'an empty body': Buffer.alloc(0),
    };
    for (const [name, bytes] of Object.entries(cases)) assertSame(bytes, name);
  });

  it('rejects nesting past the depth limit as protobufjs does, and accepts it just below', () => {
    const nested = (levels: number): Buffer => {
      let inner: Buffer = Buffer.from([0x0a, 0x01, 0x78]);
      for (let i = 0; i < levels; i++) inner = lengthDelimited(0x2a, lengthDelimited(0x0a, inner)); // AnyValue.array_value.values
      return withSpan(lengthDelimited(0x4a, Buffer.concat([lengthDelimited(0x0a, Buffer.from('k')), lengthDelimited(0x12, inner)])));
    };
    let accepted = 0;
    for (const levels of [40, 47, 48, 49, 50, 60]) if (assertSame(nested(levels), `${levels} levels`)) accepted++;
    assert.ok(accepted > 0 && accepted < 6, 'the limit falls inside the range tried');
  });

  it('hands out plain values: bigint times, number ints, shared trace ids, lazily decoded events', () => {
    const TRACE = Buffer.alloc(16, 7);
    const span = (n: number) => ({
      traceId: TRACE,
      spanId: Buffer.alloc(8, n),
      name: 'op',
      startTimeUnixNano: '1700000000000000001',
      attributes: [{ key: 'n', value: { intValue: '42' } }],
      events: [{ name: 'e', timeUnixNano: '5', attributes: [{ key: 'x', value: { stringValue: 'y' } }] }],
    });
    const bytes = encode({ resourceSpans: [{ scopeSpans: [{ spans: [span(1), span(2)] }] }] });
    const [a, b] = decodeProtobufRequest(bytes).resourceSpans[0].scopeSpans[0].spans;
    assert.equal(a.startTimeUnixNano, 1700000000000000001n);
    assert.equal(a.attributes[0].value?.intValue, 42);
    assert.equal(a.traceId, b.traceId, 'one object for a trace id');
    assert.equal(a.events[0].name, 'e');
    assert.equal(a.events[0].attributes[0].value?.stringValue, 'y');
    assert.equal(Object.keys(a).some((k) => /bytes|received/i.test(k)), false, 'received bytes stay private');
    assert.equal(requestToQuerySpans(decodeProtobufRequest(bytes))[0].events[0].timeUnixNano, 5n);
    assert.deepEqual(Buffer.from(encodeTracesData(decodeProtobufRequest(bytes))), bytes, 'encodes back to the bytes received');
  });
});
