import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { OtlpDecodeError, decodeJsonRequest, requestToQuerySpans } from './index.ts';

const TRACE = '5b8efff798038103d269b633813fc60c';
const SPAN = 'eee19b7ec3c1b174';
const PARENT = 'eee19b7ec3c1b173';

/** A request as the OTLP spec's JSON example writes it, with `span` merged into its only span. */
function body(span: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] },
        scopeSpans: [
          {
            scope: { name: 'lib', version: '1.0.0' },
            spans: [
              {
                traceId: TRACE,
                spanId: SPAN,
                parentSpanId: PARENT,
                name: 'op',
                kind: 2,
                startTimeUnixNano: '1544712660000000000',
                endTimeUnixNano: '1544712661000000000',
                ...span,
              },
            ],
          },
        ],
      },
    ],
    ...extra,
  });
}

const only = (text: string) => {
  const spans = requestToQuerySpans(decodeJsonRequest(text));
  assert.equal(spans.length, 1);
  return spans[0];
};

function rejects(text: string, reason: RegExp): void {
  assert.throws(
    () => decodeJsonRequest(text),
    (error: unknown) => error instanceof OtlpDecodeError && error.format === 'json' && reason.test(error.reason),
  );
}

describe('decodeJsonRequest', () => {
  it('decodes the spec form: hex ids, string int64 times, integer enums', () => {
    const span = only(body({ status: { code: 2, message: 'bad' } }));
    assert.equal(span.traceId, TRACE);
    assert.equal(span.spanId, SPAN);
    assert.equal(span.parentSpanId, PARENT);
    assert.equal(span.kind, 2);
    assert.equal(span.startTimeUnixNano, 1544712660000000000n);
    assert.equal(span.durationNanos, 1_000_000_000);
    assert.equal(span.statusCode, 2);
    assert.equal(span.statusMessage, 'bad');
    assert.equal(span.serviceName, 'svc');
    assert.equal(span.scopeName, 'lib');
    assert.equal(span.scopeVersion, '1.0.0');
  });

  it('accepts snake_case keys, enum names, numeric int64, upper-case hex and an empty parent', () => {
    const text = JSON.stringify({
      resource_spans: [
        {
          scope_spans: [
            {
              spans: [
                {
                  trace_id: TRACE.toUpperCase(),
                  span_id: SPAN,
                  parent_span_id: '',
                  kind: 'SPAN_KIND_CONSUMER',
                  start_time_unix_nano: 1000,
                  end_time_unix_nano: 3000,
                  status: { code: 'STATUS_CODE_OK' },
                  dropped_attributes_count: '2',
                },
              ],
            },
          ],
        },
      ],
    });
    const span = only(text);
    assert.equal(span.traceId, TRACE);
    assert.equal(span.parentSpanId, '');
    assert.equal(span.kind, 5);
    assert.equal(span.statusCode, 1);
    assert.equal(span.durationNanos, 2000);
    const raw = decodeJsonRequest(text).resourceSpans[0].scopeSpans[0].spans[0];
    assert.equal(raw.droppedAttributesCount, 2);
  });

  it('decodes every AnyValue kind, including int64 beyond 2^53, base64 bytes and NaN', () => {
    const attributes = [
      { key: 's', value: { stringValue: 'x' } },
      { key: 'b', value: { boolValue: false } },
      { key: 'i', value: { intValue: '-7' } },
      { key: 'big', value: { intValue: '9007199254740993' } },
      { key: 'd', value: { doubleValue: 1.25 } },
      { key: 'nan', value: { doubleValue: 'NaN' } },
      { key: 'bytes', value: { bytesValue: Buffer.from('hi').toString('base64') } },
      { key: 'arr', value: { arrayValue: { values: [{ intValue: 1 }, { stringValue: 'two' }] } } },
      { key: 'kv', value: { kvlistValue: { values: [{ key: 'inner', value: { boolValue: true } }] } } },
      { key: 'empty', value: {} },
    ];
    const span = only(body({ attributes }));
    assert.deepEqual(span.attributes, {
      s: 'x',
      b: false,
      i: -7,
      big: 9007199254740993n,
      d: 1.25,
      nan: NaN,
      bytes: Buffer.from('hi').toString('base64'),
      arr: [1, 'two'],
      kv: { inner: true },
      empty: null,
    });
  });

  it('keeps int64 and fixed64 exact at the ends of their ranges', () => {
    const span = only(
      body({
        startTimeUnixNano: '18446744073709551615',
        attributes: [{ key: 'min', value: { intValue: '-9223372036854775808' } }],
      }),
    );
    assert.equal(span.startTimeUnixNano, 18446744073709551615n);
    assert.equal(span.attributes.min, -9223372036854775808n);
  });

  it('ignores unknown fields at every level', () => {
    const span = only(body({ futureField: { a: 1 } }, { alsoUnknown: [1, 2] }));
    assert.equal(span.name, 'op');
  });

  it('decodes events and links with hex link ids', () => {
    const span = only(
      body({
        events: [{ timeUnixNano: '1544712660500000000', name: 'e', attributes: [{ key: 'k', value: { intValue: 3 } }] }],
        links: [{ traceId: TRACE, spanId: PARENT, attributes: [{ key: 'l', value: { stringValue: 'v' } }] }],
      }),
    );
    assert.deepEqual(span.events, [{ name: 'e', timeUnixNano: 1544712660500000000n, attributes: { k: 3 } }]);
    assert.deepEqual(span.links, [{ traceId: TRACE, spanId: PARENT, attributes: { l: 'v' } }]);
  });

  const bad: [string, string, RegExp][] = [
    ['not JSON', '{"resourceSpans": [', /not valid JSON/],
    ['a JSON array', '[]', /expected an object/],
    ['a short trace id', body({ traceId: 'abcd' }), /spans\[0\]\.traceId: expected 32 hex characters, got 4/],
    ['a non-hex span id', body({ spanId: 'zzzzzzzzzzzzzzzz' }), /spans\[0\]\.spanId: expected hex/],
    ['a missing trace id', body({ traceId: undefined }), /traceId: expected 16 bytes, got 0/],
    ['a base64 trace id', body({ traceId: Buffer.from(TRACE, 'hex').toString('base64') }), /traceId: expected 32 hex/],
    ['a numeric name', body({ name: 5 }), /spans\[0\]\.name: expected a string/],
    ['an unknown kind', body({ kind: 9 }), /kind: expected one of SPAN_KIND_UNSPECIFIED/],
    ['an unknown kind name', body({ kind: 'SERVER' }), /kind: expected one of/],
    ['a fractional time', body({ startTimeUnixNano: 1.5 }), /startTimeUnixNano: expected an integer/],
    ['a negative fixed64', body({ endTimeUnixNano: '-1' }), /endTimeUnixNano: out of range/],
    ['attributes not an array', body({ attributes: { a: 1 } }), /spans\[0\]\.attributes: expected an array/],
    ['two AnyValue members', body({ attributes: [{ key: 'a', value: { stringValue: 'x', intValue: 1 } }] }), /attributes\[0\]\.value: only one of/],
    ['bad base64 bytes', body({ attributes: [{ key: 'a', value: { bytesValue: '***' } }] }), /bytesValue: expected base64/],
    ['a string bool', body({ attributes: [{ key: 'a', value: { boolValue: 'true' } }] }), /boolValue: expected true or false/],
  ];
  for (const [what, text, reason] of bad) {
    it(`rejects ${what} with a reason naming the field`, () => rejects(text, reason));
  }

  it('turns a pathologically deep AnyValue into a decode error, not a crash', () => {
    const depth = 20000;
    const value = '{"arrayValue":{"values":['.repeat(depth) + '{"stringValue":"x"}' + ']}}'.repeat(depth);
    const text = body({ attributes: [] }).replace('"attributes":[]', `"attributes":[{"key":"deep","value":${value}}]`);
    assert.throws(() => decodeJsonRequest(text), OtlpDecodeError);
  });
});
