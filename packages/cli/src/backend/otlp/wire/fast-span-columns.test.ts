import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FetchColumns, QuerySpan } from '../../query/storage.ts';
import { richRequest } from '../../store/testing/fixtures.ts';
import { toQuerySpan } from '../model/query-span.ts';
import type { SpanLike } from '../model/types.ts';
import { otlpTypes } from '../schema.ts';
import { fastSpanColumns } from './fast-span-columns.ts';

const BASE = 1_700_000_000_000_000_000n;
const resource = { attributes: { 'service.name': 'order' }, serviceName: 'order' };
const scope = { name: 'lib', version: '1', attributes: { 'lib.flag': true } };

/** Every span of the rich fixture (all value types, events, links, status), as stored bytes. */
function storedSpans(): Uint8Array[] {
  const spans = richRequest(BASE).resourceSpans!.flatMap((rs) => rs!.scopeSpans!.flatMap((ss) => ss!.spans!));
  return spans.map((s) => Buffer.from(otlpTypes.Span.encode(otlpTypes.Span.fromObject(s as object)).finish()));
}

/** The reference: the full conversion of the span protobufjs decodes from the bytes. */
function full(bytes: Uint8Array): QuerySpan {
  return toQuerySpan(bytes, resource, scope);
}

describe('fastSpanColumns (the fast path of toQuerySpan for stored bytes)', () => {
  it('equals the full decode when every column is asked for', () => {
    const all: FetchColumns = { spanAttributes: 'all', events: true, links: true };
    for (const bytes of storedSpans()) assert.deepStrictEqual(fastSpanColumns(bytes, all, resource, scope), full(bytes));
  });

  it('keeps only the asked attributes, and events and links only when asked', () => {
    for (const bytes of storedSpans()) {
      const whole = full(bytes);
      const some = fastSpanColumns(bytes, { spanAttributes: ['int', 'kvlist', 'absent'], events: false, links: false }, resource, scope);
      assert.deepStrictEqual(some, { ...whole, attributes: { int: whole.attributes.int, kvlist: whole.attributes.kvlist }, events: [], links: [] });
      const none = fastSpanColumns(bytes, { spanAttributes: [], events: true, links: false }, resource, scope);
      assert.deepStrictEqual(none, { ...whole, attributes: {}, links: [] });
    }
  });

  it('gives what toQuerySpan gives for the decoded span with the same columns', () => {
    const columns: FetchColumns[] = [
      { spanAttributes: 'all', events: true, links: true },
      { spanAttributes: ['int', 'str', 'absent'], events: true, links: false },
      { spanAttributes: [], events: false, links: true },
    ];
    for (const bytes of storedSpans()) {
      const decoded = otlpTypes.Span.decode(bytes) as SpanLike;
      for (const c of columns) assert.deepStrictEqual(fastSpanColumns(bytes, c, resource, scope), toQuerySpan(decoded, resource, scope, c));
    }
  });

  it('fails where protobufjs fails on cut bytes', () => {
    const all: FetchColumns = { spanAttributes: 'all', events: true, links: true };
    const [bytes] = storedSpans();
    for (const cut of [bytes.length - 1, Math.floor(bytes.length / 2), 3]) {
      const part = bytes.subarray(0, cut);
      assert.throws(() => otlpTypes.Span.decode(part), `protobufjs rejects a span cut at ${cut}`);
      assert.throws(() => fastSpanColumns(part, all, resource, scope), `the fast path rejects a span cut at ${cut}`);
    }
  });

  it('matches keys as whole UTF-8 strings, a repeated key keeping its last value', () => {
    const span = otlpTypes.Span.fromObject({
      traceId: Buffer.alloc(16, 1),
      spanId: Buffer.alloc(8, 2),
      attributes: [
        { key: 'héllo', value: { stringValue: 'first' } },
        { key: 'héllo', value: { stringValue: 'last' } },
        { key: 'héllo.world', value: { intValue: 1 } },
        { key: 'hé', value: { boolValue: true } },
      ],
    });
    const bytes = Buffer.from(otlpTypes.Span.encode(span).finish());
    const got = fastSpanColumns(bytes, { spanAttributes: ['héllo'], events: false, links: false }, resource, scope);
    assert.deepStrictEqual(got.attributes, { 'héllo': 'last' });
  });
});
