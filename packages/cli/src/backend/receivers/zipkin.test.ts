import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { requestToQuerySpans } from '../otlp/index.ts';
import { PushRejectedError, createMemoryPusher, createZipkinReceiver } from './index.ts';
import { send } from './testing/index.ts';

const SPANS = JSON.stringify([
  { traceId: '463ac35c9f6413ad', id: 'a2fb4a1d1a96d312', name: 'get', kind: 'CLIENT', timestamp: 1_700_000_000_000_000, duration: 5, localEndpoint: { serviceName: 'web' } },
]);

describe('Zipkin receiver', () => {
  const pusher = createMemoryPusher();
  const receiver = createZipkinReceiver({ port: 0, pusher });
  let port = 0;
  before(async () => {
    port = (await receiver.start()).port;
  });
  after(() => receiver.stop());
  const post = (body: string | Buffer, headers: Record<string, string> = { 'content-type': 'application/json' }, path = '/api/v2/spans') =>
    send(port, { path, headers, body });

  it('answers 202 to spans, gzipped or not', async () => {
    for (const [body, headers] of [
      [SPANS, { 'content-type': 'application/json' }],
      [gzipSync(SPANS), { 'content-type': 'application/json', 'content-encoding': 'gzip' }],
      [SPANS, { 'content-type': 'application/json; charset=utf-8' }],
    ] as const) {
      const res = await post(body, headers);
      assert.equal(res.status, 202, res.body.toString());
      assert.equal(res.body.length, 0);
    }
    assert.equal(pusher.requests.length, 3);
    const [span] = requestToQuerySpans(pusher.requests[0]);
    assert.equal(span.traceId, '0000000000000000463ac35c9f6413ad');
    assert.equal(span.serviceName, 'web');
    assert.equal(span.durationNanos, 5000);
  });

  const cases: [string, string | Buffer, Record<string, string>, number, RegExp, string?][] = [
    ['bad JSON', '[{', { 'content-type': 'application/json' }, 400, /not valid JSON/],
    ['a span with a bad id', SPANS.replace('a2fb4a1d1a96d312', 'nothex'), { 'content-type': 'application/json' }, 400, /spans\[0\]\.id: expected up to 16 hex/],
    ['zipkin protobuf', 'x', { 'content-type': 'application/x-protobuf' }, 415, /use application\/json/],
    // Types a browser sends cross-site without a CORS preflight: a web page must not write spans.
    ['no content type', SPANS, {}, 415, /unsupported content type ""/],
    ['text/plain', SPANS, { 'content-type': 'text/plain' }, 415, /use application\/json/],
    ['a form', SPANS, { 'content-type': 'application/x-www-form-urlencoded' }, 415, /use application\/json/],
    ['bad gzip', 'nope', { 'content-type': 'application/json', 'content-encoding': 'gzip' }, 400, /not valid gzip/],
    ['the v1 API', SPANS, { 'content-type': 'application/json' }, 404, /POST \/api\/v2\/spans/, '/api/v1/spans'],
  ];
  for (const [what, body, headers, status, reason, path] of cases) {
    it(`answers ${status} to ${what} with a reason and keeps serving`, async () => {
      const before = pusher.requests.length;
      const res = await post(body, headers, path);
      assert.equal(res.status, status);
      assert.match(res.body.toString(), reason);
      assert.equal(pusher.requests.length, before);
      assert.equal((await post(SPANS)).status, 202);
    });
  }

  it('passes overload on as 503 with Retry-After', async () => {
    pusher.failWith(new PushRejectedError('busy', { httpStatus: 503, retryAfterSeconds: 2 }));
    const res = await post(SPANS);
    assert.equal(res.status, 503);
    assert.equal(res.headers['retry-after'], '2');
    pusher.failWith(undefined);
  });
});
