import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FetchColumns, QuerySpan } from '../../model.ts';
import { otlpTypes } from '../../otlp/index.ts';
import { richRequest } from '../testing/fixtures.ts';
import { projectSpan } from './project-span.ts';
import { SpanDecoder } from './query-span.ts';

const BASE = 1_700_000_000_000_000_000n;
const resource = { attributes: { 'service.name': 'order' }, serviceName: 'order' };
const scope = { name: 'lib', version: '1', attributes: { 'lib.flag': true } };

/** Every span of the rich fixture (all value types, events, links, status), as stored bytes. */
function storedSpans(): Uint8Array[] {
  const spans = richRequest(BASE).resourceSpans!.flatMap((rs) => rs.scopeSpans!.flatMap((ss) => ss.spans!));
  return spans.map((s) => Buffer.from(otlpTypes.Span.encode(otlpTypes.Span.fromObject(s)).finish()));
}

/** The full decode with the resource and scope above. */
function full(bytes: Uint8Array): QuerySpan {
  const decoder = new SpanDecoder(() => undefined);
  const span = decoder.decode(Buffer.concat([Buffer.alloc(16), bytes]));
  return { ...span, serviceName: resource.serviceName, resource: resource.attributes, scopeName: scope.name, scopeVersion: scope.version, scopeAttributes: scope.attributes };
}

describe('projectSpan', () => {
  it('equals the full decode when every column is asked for', () => {
    const all: FetchColumns = { spanAttributes: 'all', events: true, links: true };
    for (const bytes of storedSpans()) assert.deepStrictEqual(projectSpan(bytes, all, resource, scope), full(bytes));
  });

  it('keeps only the asked attributes, and events and links only when asked', () => {
    for (const bytes of storedSpans()) {
      const whole = full(bytes);
      const some = projectSpan(bytes, { spanAttributes: ['int', 'kvlist', 'absent'], events: false, links: false }, resource, scope);
      assert.deepStrictEqual(some, { ...whole, attributes: { int: whole.attributes.int, kvlist: whole.attributes.kvlist }, events: [], links: [] });
      const none = projectSpan(bytes, { spanAttributes: [], events: true, links: false }, resource, scope);
      assert.deepStrictEqual(none, { ...whole, attributes: {}, links: [] });
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
    const got = projectSpan(bytes, { spanAttributes: ['héllo'], events: false, links: false }, resource, scope);
    assert.deepStrictEqual(got.attributes, { 'héllo': 'last' });
  });
});
