import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_PACKET_BYTES, estimatedSize, segmentList, segmentScopes } from './segment.ts';
import { asStreamedMessage } from '../testing/streaming-client.ts';
import { streamingQuerierService } from './tempo-service.ts';

/** The protobuf size of `value` as `method`'s response. */
function protoSize(method: string, value: unknown): number {
  return streamingQuerierService().encode(method, value).length;
}

describe('segmentList', () => {
  const traces = Array.from({ length: 50 }, (_, i) => ({ traceID: `${i}`.padStart(32, 'a'), rootServiceName: 'svc', startTimeUnixNano: '1800000000000000000', durationMs: i }));
  const message = { traces, metrics: { completedJobs: 3, totalJobs: 3, inspectedTraces: 50 } };

  it('keeps a message under the bound whole', () => {
    assert.deepEqual(segmentList(message, 'traces'), [message]);
    assert.deepEqual(segmentList({ traces: [], metrics: message.metrics }, 'traces'), [{ traces: [], metrics: message.metrics }]);
  });

  it('splits the list in order over parts under the bound, each with the other fields', () => {
    const bound = 1000;
    const parts = segmentList(message, 'traces', bound);
    assert.ok(parts.length > 1);
    assert.deepEqual(parts.flatMap((p) => p.traces), traces);
    for (const part of parts) {
      assert.deepEqual(part.metrics, message.metrics);
      assert.ok(protoSize('Search', part) <= bound, 'the protobuf size stays under the bound');
    }
  });

  it('sends an item larger than the bound alone', () => {
    const parts = segmentList(message, 'traces', 10);
    assert.equal(parts.length, traces.length);
  });

  it('puts the last-only fields on the last part', () => {
    const series = Array.from({ length: 30 }, (_, i) => ({ labels: [{ key: 'n', value: { intValue: String(i) } }], samples: [{ timestampMs: '1', value: i }] }));
    const parts = segmentList({ series, metrics: {}, status: 'PARTIAL', message: 'cut' }, 'series', 500, ['status', 'message']);
    assert.ok(parts.length > 1);
    assert.deepEqual(parts.slice(0, -1).map((p) => 'status' in p || 'message' in p), parts.slice(0, -1).map(() => false));
    assert.equal(parts.at(-1)!.status, 'PARTIAL');
    assert.equal(parts.at(-1)!.message, 'cut');
  });

  it('estimates at least the protobuf size of Tempo messages', () => {
    const search = asStreamedMessage('Search', message);
    assert.ok(estimatedSize(message) >= protoSize('Search', search));
    assert.ok(MAX_PACKET_BYTES === 1024 * 1024);
  });
});

describe('segmentScopes', () => {
  it('splits a scope across parts under its own name, tags in order', () => {
    const tags = Array.from({ length: 100 }, (_, i) => `attribute.number.${i}`);
    const message = { scopes: [{ name: 'span', tags }, { name: 'intrinsic', tags: ['name', 'status'] }], metrics: { totalJobs: 1 } };
    const parts = segmentScopes(message, 600);
    assert.ok(parts.length > 2);
    const joined = new Map<string, string[]>();
    for (const part of parts) {
      assert.deepEqual(part.metrics, message.metrics);
      assert.ok(protoSize('SearchTagsV2', part) <= 600);
      for (const scope of part.scopes) joined.set(scope.name, [...(joined.get(scope.name) ?? []), ...scope.tags]);
    }
    assert.deepEqual(joined.get('span'), tags);
    assert.deepEqual(joined.get('intrinsic'), ['name', 'status']);
  });
});
