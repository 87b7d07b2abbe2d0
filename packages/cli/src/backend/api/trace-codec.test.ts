import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import protobuf from 'protobufjs';
import { encodeSpans, fakeSpan } from './testing/fakes.ts';
import { RandomMessages } from './testing/random-traces.ts';
import { tempoTypes, traceJsonV1, traceJsonV2, traceProtoV1, traceProtoV2 } from './trace-codec.ts';
import { createRng } from '../../../../../test/lib/random.ts';

// The oracle: how these bodies were made before the writer, protobufjs decode + toObject +
// JSON.stringify. Kept here only, to prove the writer gives the same text.
const TO_OBJECT: protobuf.IConversionOptions = { longs: String, enums: String, bytes: String, defaults: false, json: true };

function oracleJson(tracesData: Uint8Array, version: 1 | 2): Buffer {
  const { trace } = tempoTypes();
  const resourceSpans = (trace.toObject(trace.decode(tracesData), TO_OBJECT) as { resourceSpans?: unknown[] }).resourceSpans ?? [];
  const body = version === 1 ? { batches: resourceSpans } : { trace: { resourceSpans } };
  return Buffer.from(JSON.stringify(body, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)), 'utf8');
}

/** The oracle's answer or its error, then the writer's: same text, or both throw. */
function assertSameJson(tracesData: Uint8Array, label: string): 'ok' | 'threw' {
  for (const version of [1, 2] as const) {
    let expected: Buffer | undefined;
    let expectedError: unknown;
    try {
      expected = oracleJson(tracesData, version);
    } catch (err) {
      expectedError = err;
    }
    const write = version === 1 ? traceJsonV1 : traceJsonV2;
    if (expected === undefined) {
      assert.throws(() => write(tracesData), Error, `${label}: protobufjs threw (${String(expectedError)}), the writer did not`);
      continue;
    }
    const actual = write(tracesData);
    if (!actual.equals(expected)) {
      assert.equal(actual.toString('utf8'), expected.toString('utf8'), `${label} v${version}`);
    }
  }
  try {
    oracleJson(tracesData, 1);
    return 'ok';
  } catch {
    return 'threw';
  }
}

function randomTrace(seed: number, irregularity: number): Uint8Array {
  return new RandomMessages(seed, { irregularity, maxRepeat: 4, maxValueDepth: 3 }).message(tempoTypes().trace);
}

/** A trace whose one attribute value nests `levels` arrays deep. */
function nestedArrays(levels: number): Uint8Array {
  let value = protobuf.Writer.create().uint32((1 << 3) | 2).string('leaf').finish(); // AnyValue{stringValue}
  for (let i = 0; i < levels; i++) {
    const array = protobuf.Writer.create().uint32((1 << 3) | 2).bytes(value).finish(); // ArrayValue{values}
    value = protobuf.Writer.create().uint32((5 << 3) | 2).bytes(array).finish(); // AnyValue{arrayValue}
  }
  const keyValue = protobuf.Writer.create().uint32((1 << 3) | 2).string('deep').uint32((2 << 3) | 2).bytes(value).finish();
  const resource = protobuf.Writer.create().uint32((1 << 3) | 2).bytes(keyValue).finish();
  const resourceSpans = protobuf.Writer.create().uint32((1 << 3) | 2).bytes(resource).finish();
  return protobuf.Writer.create().uint32((1 << 3) | 2).bytes(resourceSpans).finish();
}

describe('trace JSON written from the stored bytes', () => {
  it('is byte-for-byte what protobufjs toObject + JSON.stringify gave, on varied random traces', () => {
    const corpus: string[] = [];
    for (let seed = 1; seed <= 150; seed++) {
      const bytes = randomTrace(seed, seed % 4 === 0 ? 0 : seed % 4 === 1 ? 0.15 : 0.5);
      assert.equal(assertSameJson(bytes, `seed ${seed}`), 'ok', `seed ${seed}: the generator makes decodable traces`);
      corpus.push(traceJsonV2(bytes).toString('utf8'));
    }
    // The corpus reaches every field and the values at the edges (else this test proves little).
    const text = corpus.join('\n');
    for (const needle of [
      '"batches"', '"entityRefs"', '"idKeys"', '"descriptionKeys"', '"schemaUrl"', '"droppedAttributesCount"',
      '"scope"', '"traceState"', '"parentSpanId"', '"kind":"SPAN_KIND_SERVER"', '"kind":99', '"kind":-1',
      '"startTimeUnixNano":"18446744073709551615"', '"droppedEventsCount"', '"droppedLinksCount"', '"links"',
      '"events"', '"timeUnixNano"', '"code":"STATUS_CODE_ERROR"', '"message"', '"flags":4294967295',
      '"stringValue":""', '"boolValue":false', '"intValue":"-9223372036854775808"', '"intValue":"9223372036854775807"',
      '"doubleValue":"NaN"', '"doubleValue":"-Infinity"', '"doubleValue":0', '"doubleValue":5e-324',
      '"arrayValue":{"values":[', '"kvlistValue":{"values":[', '"bytesValue":"', '"value":{}', '"arrayValue":{}',
      '\\"', '\\\\', '\\n', '\\u0000', '\u2028', '🚀', '日本語',
    ]) {
      assert.ok(text.includes(needle.replace('"batches"', '"resourceSpans"')), `the random corpus has ${needle}`);
    }
  });

  it('gives the same text for the traces the fake store encodes (as the SDK shapes them)', () => {
    const spans = [
      fakeSpan({ traceId: 'a1b2c3d4e5f60718293a4b5c6d7e8f90', spanId: '0102030405060708', attributes: { 'http.route': '/x', code: 500, ratio: 0.5, ok: false, big: 2n ** 63n - 1n } }),
      fakeSpan({ traceId: 'a1b2c3d4e5f60718293a4b5c6d7e8f90', spanId: '1112131415161718', parentSpanId: '0102030405060708', kind: 3, statusCode: 2, statusMessage: 'boom' }),
    ];
    assertSameJson(encodeSpans(spans), 'fake store trace');
  });

  it('answers an empty trace as an empty list', () => {
    assert.equal(traceJsonV1(new Uint8Array(0)).toString(), '{"batches":[]}');
    assert.equal(traceJsonV2(new Uint8Array(0)).toString(), '{"trace":{"resourceSpans":[]}}');
    assertSameJson(new Uint8Array(0), 'empty');
  });

  it('stops at the nesting depth where protobufjs stops', () => {
    const outcomes = new Set<string>();
    for (let levels = 44; levels <= 52; levels++) outcomes.add(assertSameJson(nestedArrays(levels), `${levels} levels`));
    assert.deepEqual([...outcomes].sort(), ['ok', 'threw'], 'the range straddles the limit');
  });

  it('throws where protobufjs throws on damaged bytes, and agrees where it does not', () => {
    const random = createRng(99).next;
    const outcomes = { ok: 0, threw: 0 };
    const invalidUtf8 = protobuf.Writer.create()
      .uint32((1 << 3) | 2)
      .fork()
      .uint32((2 << 3) | 2)
      .fork()
      .uint32((2 << 3) | 2)
      .fork()
      .uint32((5 << 3) | 2)
      .bytes(Uint8Array.from([0x6f, 0xc3, 0x28]))
      .ldelim()
      .ldelim()
      .ldelim()
      .finish();
    outcomes[assertSameJson(invalidUtf8, 'invalid UTF-8 name')]++;
    for (let seed = 1; seed <= 60; seed++) {
      const bytes = randomTrace(1000 + seed, 0.15);
      // Cut short, or a few bytes overwritten.
      const cut = bytes.subarray(0, Math.floor(random() * bytes.length));
      outcomes[assertSameJson(cut, `seed ${1000 + seed} cut at ${cut.length}`)]++;
      const flipped = Uint8Array.from(bytes);
      for (let i = 0; i < 3; i++) flipped[Math.floor(random() * flipped.length)] = Math.floor(random() * 256);
      outcomes[assertSameJson(flipped, `seed ${1000 + seed} flipped`)]++;
    }
    assert.ok(outcomes.threw > 10 && outcomes.ok > 10, `both outcomes covered: ${JSON.stringify(outcomes)}`);
  });
});

describe('trace protobuf bodies from the stored bytes', () => {
  it('decode to the same messages as the re-encoded bodies did', () => {
    const { trace, byIdResponse } = tempoTypes();
    for (let seed = 1; seed <= 50; seed++) {
      const bytes = randomTrace(seed, 0.3);
      const decoded = trace.decode(bytes);
      const oldV1 = trace.encode(decoded).finish();
      const oldV2 = byIdResponse.encode(byIdResponse.create({ trace: decoded })).finish();
      assert.deepEqual(trace.toObject(trace.decode(traceProtoV1(bytes)), TO_OBJECT), trace.toObject(trace.decode(oldV1), TO_OBJECT));
      assert.deepEqual(
        byIdResponse.toObject(byIdResponse.decode(traceProtoV2(bytes)), TO_OBJECT),
        byIdResponse.toObject(byIdResponse.decode(oldV2), TO_OBJECT),
        `seed ${seed}`,
      );
    }
  });

  it('wraps the trace with a length prefix of any size', () => {
    const { byIdResponse } = tempoTypes();
    for (const size of [0, 1, 127, 128, 16383, 16384, 2_100_000]) {
      const body = traceProtoV2(new Uint8Array(size));
      // A trace of zeros is not a valid message; check the frame only: tag, varint length, payload.
      assert.equal(body[0], 0x0a);
      const reader = protobuf.Reader.create(body);
      reader.uint32();
      assert.equal(reader.uint32(), size);
      assert.equal(body.length - reader.pos, size);
    }
    assert.deepEqual(byIdResponse.toObject(byIdResponse.decode(traceProtoV2(new Uint8Array(0)))), { trace: {} });
  });
});
