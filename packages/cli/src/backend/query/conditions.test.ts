import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fetchRequestFor } from './conditions.ts';
import { parse } from './parser.ts';

const hints = (q: string) => fetchRequestFor(parse(q));

describe('fetchRequestFor', () => {
  it('derives service, name and trace duration hints from required conditions', () => {
    assert.deepEqual(hints('{ resource.service.name = "order" && name = "GET /x" }'), { serviceNames: ['order'], spanNames: ['GET /x'] });
    assert.deepEqual(hints('{ rootServiceName = "gw" } >> { status = error }'), { serviceNames: ['gw'] });
    assert.deepEqual(hints('{ traceDuration > 2s && 5s >= trace:duration }'), { minTraceDurationNanos: 2e9, maxTraceDurationNanos: 5e9 });
    assert.deepEqual(hints('{ name = "a" } || { name = "b" }'), { spanNames: ['a', 'b'] });
    assert.deepEqual(hints('{ } !< { resource.service.name = "user" }'), { serviceNames: ['user'] });
    assert.deepEqual(hints('{ status = error } | { resource.service.name = "x" } | count() > 1'), { serviceNames: ['x'] });
  });

  it('gives no hint where a matching trace could lack it', () => {
    for (const q of [
      '{ .service.name = "order" }', // could be a span attribute
      '{ resource.service.name != "order" }',
      '{ resource.service.name = "order" || status = error }',
      '{ !(name = "x") }',
      '{ name =~ "x.*" }',
      '{ resource.service.name = "a" } || { status = error }',
      '{ name = "x" } !> { status = error }',
    ]) {
      const req = hints(q);
      assert.equal(req.serviceNames, undefined, q);
      assert.equal(req.spanNames, undefined, q);
    }
  });

  it('carries the search bounds', () => {
    assert.deepEqual(fetchRequestFor(parse('{}'), { startUnixNano: 1n, endUnixNano: 2n, minDurationNanos: 3, maxDurationNanos: 4 }), {
      startUnixNano: 1n,
      endUnixNano: 2n,
      minTraceDurationNanos: 3,
      maxTraceDurationNanos: 4,
    });
  });
});
