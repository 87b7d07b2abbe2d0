import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ZipkinDecodeError, decodeZipkinSpans, requestToQuerySpans } from './index.ts';

const TRACE = '5b8efff798038103d269b633813fc60c';

function zipkinSpan(fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    traceId: TRACE,
    id: '352bff9a74ca9ad2',
    parentId: '6b221d5bc9e6496c',
    name: 'get /api',
    kind: 'SERVER',
    timestamp: 1_556_604_172_355_737,
    duration: 1431,
    localEndpoint: { serviceName: 'backend', ipv4: '192.168.99.1', port: 3306 },
    remoteEndpoint: { serviceName: 'frontend', ipv4: '172.19.0.2', port: 58648 },
    tags: { 'http.method': 'GET', 'http.path': '/api', 'telemetry.sdk.language': 'nodejs' },
    annotations: [{ timestamp: 1_556_604_172_356_000, value: 'wr' }],
    ...fields,
  };
}

const decodeOne = (fields: Record<string, unknown> = {}) => {
  const spans = requestToQuerySpans(decodeZipkinSpans([zipkinSpan(fields)]));
  assert.equal(spans.length, 1);
  return spans[0];
};

describe('decodeZipkinSpans', () => {
  it('maps ids, kind, times, endpoints, tags and annotations', () => {
    const span = decodeOne();
    assert.equal(span.traceId, TRACE);
    assert.equal(span.spanId, '352bff9a74ca9ad2');
    assert.equal(span.parentSpanId, '6b221d5bc9e6496c');
    assert.equal(span.name, 'get /api');
    assert.equal(span.kind, 2);
    assert.equal(span.startTimeUnixNano, 1_556_604_172_355_737_000n);
    assert.equal(span.durationNanos, 1_431_000);
    assert.equal(span.serviceName, 'backend');
    assert.deepEqual(span.resource, { 'service.name': 'backend', 'telemetry.sdk.language': 'nodejs' });
    assert.deepEqual(span.attributes, {
      'http.method': 'GET',
      'http.path': '/api',
      'network.local.address': '192.168.99.1',
      'network.local.port': 3306,
      'peer.service': 'frontend',
      'network.peer.address': '172.19.0.2',
      'network.peer.port': 58648,
    });
    assert.deepEqual(span.events, [{ name: 'wr', timeUnixNano: 1_556_604_172_356_000_000n, attributes: {} }]);
    assert.equal(span.statusCode, 0);
  });

  it('maps each kind, and no kind to INTERNAL', () => {
    for (const [kind, otlp] of [['CLIENT', 3], ['SERVER', 2], ['PRODUCER', 4], ['CONSUMER', 5], [undefined, 1]] as const) {
      assert.equal(decodeOne({ kind }).kind, otlp, String(kind));
    }
  });

  it('turns the error and otel.status_code tags into a status', () => {
    const brave = decodeOne({ tags: { error: 'connection refused' } });
    assert.equal(brave.statusCode, 2);
    assert.equal(brave.statusMessage, 'connection refused');
    assert.deepEqual(brave.attributes['error'], undefined);
    assert.equal(decodeOne({ tags: { error: 'true' } }).statusMessage, '');
    const ok = decodeOne({ tags: { 'otel.status_code': 'OK' } });
    assert.equal(ok.statusCode, 1);
    assert.equal(ok.attributes['otel.status_code'], undefined);
  });

  it('takes the scope from otel.scope.* / otel.library.* tags', () => {
    const span = decodeOne({ tags: { 'otel.library.name': 'lib', 'otel.scope.version': '2.0' } });
    assert.equal(span.scopeName, 'lib');
    assert.equal(span.scopeVersion, '2.0');
  });

  it('left-pads 64-bit trace ids and short span ids; a root has no parent', () => {
    const span = decodeOne({ traceId: '463ac35c9f6413ad', id: 'abc', parentId: undefined });
    assert.equal(span.traceId, '0000000000000000463ac35c9f6413ad');
    assert.equal(span.spanId, '0000000000000abc');
    assert.equal(span.parentSpanId, '');
  });

  it('gives a shared server span its own id, as the child of the client span', () => {
    const client = { ...zipkinSpan({ kind: 'CLIENT' }) };
    const server = { ...zipkinSpan({ kind: 'SERVER', shared: true }) };
    const spans = requestToQuerySpans(decodeZipkinSpans([client, server]));
    const [c, s] = [spans.find((x) => x.kind === 3)!, spans.find((x) => x.kind === 2)!];
    assert.equal(c.spanId, '352bff9a74ca9ad2');
    assert.notEqual(s.spanId, c.spanId);
    assert.equal(s.parentSpanId, c.spanId);
    const again = requestToQuerySpans(decodeZipkinSpans([server]))[0];
    assert.equal(again.spanId, s.spanId, 'the derived id is stable');
  });

  it('groups spans by resource', () => {
    const request = decodeZipkinSpans([zipkinSpan(), zipkinSpan({ id: '1' }), zipkinSpan({ id: '2', localEndpoint: { serviceName: 'other' } })]);
    assert.equal(request.resourceSpans.length, 2);
    assert.equal(request.resourceSpans[0].scopeSpans[0].spans.length, 2);
  });

  const bad: [string, unknown, RegExp][] = [
    ['a non-array body', { traceId: TRACE }, /expected a JSON array/],
    ['a non-object span', [1], /spans\[0\]: expected an object/],
    ['a bad trace id', [zipkinSpan({ traceId: 'xyz' })], /spans\[0\]\.traceId: expected up to 32 hex/],
    ['a too-long span id', [zipkinSpan({ id: '0123456789abcdef0' })], /spans\[0\]\.id: expected up to 16 hex/],
    ['an all-zero id', [zipkinSpan({ id: '0000000000000000' })], /spans\[0\]\.id: must not be all zeros/],
    ['a missing id', [zipkinSpan({ id: undefined })], /spans\[0\]\.id/],
    ['an unknown kind', [zipkinSpan({ kind: 'INTERNAL' })], /spans\[0\]\.kind: expected CLIENT, SERVER/],
    ['no timestamp', [zipkinSpan({ timestamp: undefined })], /spans\[0\]\.timestamp: required/],
    ['a string timestamp', [zipkinSpan({ timestamp: '1' })], /timestamp: expected a non-negative number/],
    ['a negative duration', [zipkinSpan({ duration: -1 })], /duration: expected a non-negative/],
    ['an object tag', [zipkinSpan(), zipkinSpan({ tags: { a: { b: 1 } } })], /spans\[1\]\.tags\.a: expected a string/],
    ['a bad port', [zipkinSpan({ remoteEndpoint: { port: 70000 } })], /remoteEndpoint\.port: expected an integer 0-65535/],
    ['an annotation without value', [zipkinSpan({ annotations: [{ timestamp: 1 }] })], /annotations\[0\]\.value: required/],
    ['a numeric name', [zipkinSpan({ name: 3 })], /spans\[0\]\.name: expected a string/],
  ];
  for (const [what, json, reason] of bad) {
    it(`rejects ${what} with a reason`, () => {
      assert.throws(
        () => decodeZipkinSpans(json),
        (error: unknown) => error instanceof ZipkinDecodeError && error.httpStatus === 400 && reason.test(error.reason),
      );
    });
  }
});
