import assert from 'node:assert/strict';
import { request } from 'node:http';
import { describe, test } from 'node:test';
import { z } from 'zod';
import { REST_ERROR_CODES } from '../errors.ts';
import { startTestServer } from '../testing/test-server.ts';
import type { RestServer } from '../server.ts';

function echoRoute(s: RestServer): void {
  s.addRoute({
    method: 'POST',
    path: '/echo',
    request: { body: z.object({ text: z.string() }) },
    handler: ({ body }) => ({ length: body.text.length }),
  });
}

/** Sends `chunks` with chunked encoding (no Content-Length), so only the reader can enforce the limit. */
function postChunked(url: string, chunks: string[]): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

describe('maxBytesHandler', () => {
  test('a Content-Length over MaxBytes is refused with 413 before reading', async (t) => {
    const { url } = await startTestServer(t, { MaxBytes: 64 }, echoRoute);
    const res = await fetch(`${url}/echo`, { method: 'POST', body: JSON.stringify({ text: 'x'.repeat(100) }) });
    assert.equal(res.status, 413);
    assert.deepEqual(await res.json(), {
      code: REST_ERROR_CODES.BODY_TOO_LARGE,
      message: 'body exceeds the limit of 64 bytes',
    });
    const ok = await fetch(`${url}/echo`, { method: 'POST', body: JSON.stringify({ text: 'small' }) });
    assert.deepEqual(await ok.json(), { length: 5 });
  });

  test('a chunked body is cut off at MaxBytes while reading', async (t) => {
    const { url } = await startTestServer(t, { MaxBytes: 64 }, echoRoute);
    const big = await postChunked(`${url}/echo`, ['{"text":"', 'y'.repeat(40), 'y'.repeat(40), '"}']);
    assert.equal(big.status, 413);
    assert.equal(JSON.parse(big.body).code, REST_ERROR_CODES.BODY_TOO_LARGE);
    const small = await postChunked(`${url}/echo`, ['{"text":', '"abc"}']);
    assert.deepEqual({ status: small.status, body: JSON.parse(small.body) }, { status: 200, body: { length: 3 } });
  });

  test('with MaxBytes off, large bodies are read', async (t) => {
    const { url } = await startTestServer(t, { MaxBytes: 64, Middlewares: { MaxBytes: false } }, echoRoute);
    const res = await fetch(`${url}/echo`, { method: 'POST', body: JSON.stringify({ text: 'x'.repeat(100) }) });
    assert.deepEqual(await res.json(), { length: 100 });
  });
});
