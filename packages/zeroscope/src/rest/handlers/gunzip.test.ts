import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { z } from 'zod';
import { REST_ERROR_CODES } from '../errors.ts';
import type { RestServer } from '../server.ts';
import { startTestServer } from '../testing/test-server.ts';

function sumRoute(s: RestServer): void {
  s.addRoute({
    method: 'POST',
    path: '/sum',
    request: { body: z.array(z.number()) },
    handler: ({ body }) => body.reduce((a, b) => a + b, 0),
  });
}

const post = (url: string, body: Buffer | string, encoding?: string) =>
  fetch(`${url}/sum`, { method: 'POST', body: typeof body === 'string' ? body : new Blob([new Uint8Array(body)]), headers: encoding ? { 'content-encoding': encoding } : {} });

describe('gunzipHandler', () => {
  test('decompresses gzip bodies; plain bodies still work', async (t) => {
    const { url } = await startTestServer(t, {}, sumRoute);
    assert.equal(await (await post(url, gzipSync('[1,2,3]'), 'gzip')).json(), 6);
    assert.equal(await (await post(url, '[4,5]')).json(), 9);
  });

  test('a corrupt gzip body is a 400', async (t) => {
    const { url } = await startTestServer(t, {}, sumRoute);
    const res = await post(url, 'definitely not gzip', 'gzip');
    assert.equal(res.status, 400);
    assert.equal((await res.json()).code, REST_ERROR_CODES.BAD_ENCODING);
  });

  test('MaxBytes counts the decompressed bytes', async (t) => {
    const { url } = await startTestServer(t, { MaxBytes: 100 }, sumRoute);
    const zipped = gzipSync(JSON.stringify(new Array(200).fill(0)));
    assert.ok(zipped.length < 100);
    assert.equal((await post(url, zipped, 'gzip')).status, 413);
  });

  test('with Gunzip off, a gzip body is just bad JSON', async (t) => {
    const { url } = await startTestServer(t, { Middlewares: { Gunzip: false } }, sumRoute);
    const res = await post(url, gzipSync('[1]'), 'gzip');
    assert.equal(res.status, 400);
    assert.equal((await res.json()).code, REST_ERROR_CODES.BAD_JSON);
  });
});
