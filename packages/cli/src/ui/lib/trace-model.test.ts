import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { otlpTrace } from '../testing/index.ts';
import { buildTrace, matchingSpans, visibleSpans } from './trace-model.ts';

const TRACE = '0af7651916cd43dd8448eb211c80319c';
const seed = otlpTrace(TRACE, [
  // Deliberately out of order: the model must not depend on the order spans arrive in.
  { service: 'user', spanId: '3333333333333333', parentSpanId: '2222222222222222', name: 'user.User/GetUser', kind: 'SERVER', start: 2, end: 8, attributes: { 'rpc.method': 'GetUser' } },
  { service: 'order', spanId: '1111111111111111', name: 'GET /api/order/:id', kind: 'SERVER', start: 0, end: 10, attributes: { 'http.route': '/api/order/:id' } },
  { service: 'order', spanId: '2222222222222222', parentSpanId: '1111111111111111', name: 'user.User/GetUser', kind: 'CLIENT', start: 1, end: 9, attributes: { 'rpc.method': 'GetUser' }, events: [{ name: 'message', at: 1.5 }] },
]);

describe('buildTrace', () => {
  it('turns base64 ids into hex and nests the seed trace as server → client → server', () => {
    const t = buildTrace(seed);
    assert.equal(t.traceId, TRACE);
    assert.deepEqual(t.spans.map((s) => [s.spanId, s.depth, s.kind, s.serviceName]), [
      ['1111111111111111', 0, 'server', 'order'],
      ['2222222222222222', 1, 'client', 'order'],
      ['3333333333333333', 2, 'server', 'user'],
    ]);
    assert.equal(t.roots.length, 1);
    assert.equal(t.spans[2].parent?.spanId, '2222222222222222');
    assert.deepEqual(t.services, ['order', 'user']);
    assert.equal(t.spans[2].serviceIndex, 1);
  });
  it('measures times as offsets from the first start', () => {
    const t = buildTrace(seed);
    assert.equal(t.durationNs, 10_000_000);
    assert.equal(t.spans[1].startOffsetNs, 1_000_000);
    assert.equal(t.spans[1].durationNs, 8_000_000);
    assert.equal(t.spans[1].events[0].offsetNs, 500_000);
    assert.deepEqual(t.spans[1].attributes, [{ key: 'rpc.method', value: 'GetUser' }]);
    assert.ok(t.spans[0].resource.some((a) => a.key === 'service.name' && a.value === 'order'));
  });
  it('puts spans whose parent is missing at top level, marked as orphans, after the real roots', () => {
    const t = buildTrace(otlpTrace(TRACE, [
      { service: 'a', spanId: 'aaaaaaaaaaaaaaa1', parentSpanId: 'ffffffffffffffff', name: 'lost child', start: 0, end: 1 },
      { service: 'a', spanId: 'aaaaaaaaaaaaaaa2', name: 'root', start: 1, end: 3 },
      { service: 'a', spanId: 'aaaaaaaaaaaaaaa3', parentSpanId: 'aaaaaaaaaaaaaaa1', name: 'grandchild', start: 0.5, end: 1 },
    ]));
    assert.deepEqual(t.roots.map((s) => [s.name, s.isOrphan]), [['root', false], ['lost child', true]]);
    assert.deepEqual(t.spans.map((s) => [s.name, s.depth]), [['root', 0], ['lost child', 0], ['grandchild', 1]]);
  });
  it('survives a parent cycle and duplicate span ids', () => {
    const t = buildTrace(otlpTrace(TRACE, [
      { service: 'a', spanId: 'bbbbbbbbbbbbbbb1', parentSpanId: 'bbbbbbbbbbbbbbb2', name: 'x', start: 0, end: 1 },
      { service: 'a', spanId: 'bbbbbbbbbbbbbbb2', parentSpanId: 'bbbbbbbbbbbbbbb1', name: 'y', start: 0, end: 1 },
      { service: 'a', spanId: 'bbbbbbbbbbbbbbb2', name: 'dup', start: 0, end: 1 },
    ]));
    assert.equal(t.spans.length, 2);
    assert.equal(t.roots.length, 1);
    assert.ok(t.roots[0].isOrphan);
  });
  it('reads error status, v1 `batches` bodies, and empty bodies', () => {
    const body = otlpTrace(TRACE, [{ service: 'a', spanId: 'cccccccccccccccc', name: 'e', start: 0, end: 1, error: 'NotFound' }]);
    const t = buildTrace({ batches: body.trace!.resourceSpans });
    assert.equal(t.spans[0].status, 'error');
    assert.equal(t.spans[0].statusMessage, 'NotFound');
    assert.equal(t.errorCount, 1);
    assert.equal(buildTrace({}, TRACE).spans.length, 0);
  });
});

describe('visibleSpans and matchingSpans', () => {
  it('hides the subtree of a collapsed span only', () => {
    const t = buildTrace(seed);
    assert.deepEqual(visibleSpans(t, new Set(['2222222222222222'])).map((s) => s.spanId), ['1111111111111111', '2222222222222222']);
    assert.equal(visibleSpans(t, new Set(['1111111111111111'])).length, 1);
    assert.equal(visibleSpans(t, new Set()).length, 3);
  });
  it('matches names and attribute values case-insensitively', () => {
    const t = buildTrace(seed);
    assert.deepEqual([...matchingSpans(t, 'getuser')].sort(), ['2222222222222222', '3333333333333333']);
    assert.deepEqual([...matchingSpans(t, '/API/ORDER')], ['1111111111111111']);
    assert.equal(matchingSpans(t, '  ').size, 0);
  });
});
