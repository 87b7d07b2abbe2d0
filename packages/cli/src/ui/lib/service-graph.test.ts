import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { otlpTrace } from '../testing/index.ts';
import { buildTrace } from './trace-model.ts';
import { buildServiceGraph, edgeQuery, graphFromGenerator, nodeQuery } from './service-graph.ts';

const seedTrace = (traceId: string, clientMs: number, error?: string) =>
  buildTrace(otlpTrace(traceId, [
    { service: 'order', spanId: '1111111111111111', name: 'GET /api/order/:id', kind: 'SERVER', start: 0, end: clientMs + 2, error },
    { service: 'order', spanId: '2222222222222222', parentSpanId: '1111111111111111', name: 'user.User/GetUser', kind: 'CLIENT', start: 1, end: 1 + clientMs, error },
    { service: 'user', spanId: '3333333333333333', parentSpanId: '2222222222222222', name: 'user.User/GetUser', kind: 'SERVER', start: 1.5, end: clientMs, error },
    // Same-service client → server and an internal child are not edges.
    { service: 'user', spanId: '4444444444444444', parentSpanId: '3333333333333333', name: 'db', kind: 'CLIENT', start: 2, end: 3 },
    { service: 'user', spanId: '5555555555555555', parentSpanId: '4444444444444444', name: 'self', kind: 'SERVER', start: 2, end: 3 },
  ]));

describe('buildServiceGraph', () => {
  it('counts a client span with a server child in another service as one request', () => {
    const g = buildServiceGraph([
      seedTrace('a0000000000000000000000000000001', 10),
      seedTrace('a0000000000000000000000000000002', 20),
      seedTrace('a0000000000000000000000000000003', 30, 'NotFound'),
      seedTrace('a0000000000000000000000000000004', 40),
    ]);
    assert.equal(g.traces, 4);
    assert.equal(g.edges.length, 1);
    const [e] = g.edges;
    assert.deepEqual([e.client, e.server, e.requests, e.errors, e.errorRate], ['order', 'user', 4, 1, 0.25]);
    // Client-side latency, nearest-rank percentiles.
    assert.equal(e.p50Ns, 20_000_000);
    assert.equal(e.p95Ns, 40_000_000);
  });
  it('lays services out by call depth and counts their spans', () => {
    const g = buildServiceGraph([seedTrace('a0000000000000000000000000000001', 10)]);
    assert.deepEqual(g.nodes.map((n) => [n.service, n.layer, n.spans]), [['order', 0, 2], ['user', 1, 3]]);
  });
  it('is empty for no traces', () => {
    assert.deepEqual(buildServiceGraph([]), { source: 'traces', nodes: [], edges: [], traces: 0, windowSeconds: undefined });
  });
});

describe('graphFromGenerator', () => {
  it("keeps the generator's numbers, in nanoseconds, and lays callers left of callees", () => {
    const stats = { requests: 4, failed: 1, rate: 0.5, errorRate: 0.25, p50Seconds: 0.012, p95Seconds: null };
    const g = graphFromGenerator({
      start: 0,
      end: 8,
      windowSeconds: 8,
      stepSeconds: 10,
      nodes: [{ service: 'user', ...stats }, { service: 'order', ...stats, requests: 0 }],
      edges: [{ client: 'order', server: 'user', connectionType: '', ...stats }],
    });
    assert.equal(g.source, 'generator');
    assert.deepEqual(g.nodes.map((n) => [n.service, n.layer, n.stats?.requests]), [['order', 0, 0], ['user', 1, 4]]);
    const [e] = g.edges;
    assert.deepEqual([e.requests, e.errors, e.rate, e.errorRate, e.p50Ns], [4, 1, 0.5, 0.25, 12_000_000]);
    assert.ok(Number.isNaN(e.p95Ns));
  });
});

describe('span queries behind the graph', () => {
  it('asks for the calls of an edge and the requests of a node', () => {
    assert.equal(nodeQuery('user'), '{ resource.service.name = "user" && (kind = server || kind = consumer) }');
    assert.equal(
      edgeQuery({ client: 'order', server: 'user', connectionType: '' }),
      '{ resource.service.name = "order" && (kind = client || kind = producer) } > { resource.service.name = "user" && (kind = server || kind = consumer) }',
    );
    assert.equal(edgeQuery({ client: 'user', server: 'order', connectionType: 'virtual_node' }), '{ resource.service.name = "order" && kind = server && nestedSetParent = -1 }');
    // Names are TraceQL strings: a quote cannot end the literal.
    assert.equal(nodeQuery('a"b'), '{ resource.service.name = "a\\"b" && (kind = server || kind = consumer) }');
  });
});
