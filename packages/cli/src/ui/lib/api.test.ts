import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApiBadJsonError, ApiBadProtobufError, ApiNetworkError, ApiStatusError, UiErrorCodes } from '../errors.ts';
import { fetchTagValues, fetchTrace, searchTraces } from './api.ts';

function fakeFetch(status: number, body: string, seen: string[] = []): typeof fetch {
  return (async (url: string | URL | Request) => {
    seen.push(String(url));
    return new Response(body, { status });
  }) as typeof fetch;
}

describe('api', () => {
  it('calls Tempo paths and parses JSON', async () => {
    const seen: string[] = [];
    const values = await fetchTagValues('resource.service.name', { start: 1, end: 2 }, {
      baseUrl: 'http://h',
      fetchImpl: fakeFetch(200, '{"tagValues":[{"type":"string","value":"user"},{"type":"string","value":"order"}]}', seen),
    });
    assert.deepEqual(values, ['order', 'user']);
    assert.equal(seen[0], 'http://h/api/v2/search/tag/resource.service.name/values?start=1&end=2');
    await fetchTrace('abc', { fetchImpl: fakeFetch(200, '{}', seen) });
    assert.equal(seen[1], '/api/v2/traces/abc');
  });
  it('puts the server reason of a 400 in the error message', async () => {
    await assert.rejects(
      searchTraces(new URLSearchParams('q={'), { fetchImpl: fakeFetch(400, 'invalid TraceQL query: parse error at line 1, col 2') }),
      (err: unknown) =>
        err instanceof ApiStatusError && err.status === 400 && err.code === UiErrorCodes.API_STATUS && err.message.includes('parse error at line 1'),
    );
  });
  it('reports non-JSON bodies and network failures with their own codes', async () => {
    await assert.rejects(fetchTrace('abc', { fetchImpl: fakeFetch(200, '<html>') }), ApiBadJsonError);
    const failing = (async () => {
      throw new TypeError('connection refused');
    }) as typeof fetch;
    await assert.rejects(fetchTrace('abc', { fetchImpl: failing }), ApiNetworkError);
  });

  it('asks for a trace as protobuf and says so when the bytes are not a trace', async () => {
    let accept = '';
    const proto = (async (_url: string | URL | Request, init?: RequestInit) => {
      accept = new Headers(init?.headers).get('accept') ?? '';
      return new Response(new Uint8Array([0x0a, 0x05, 0x01]), { status: 200, headers: { 'content-type': 'application/protobuf' } });
    }) as typeof fetch;
    const err = await fetchTrace('abc', { fetchImpl: proto }).catch((e: unknown) => e);
    assert.match(accept, /^application\/protobuf/);
    assert.ok(err instanceof ApiBadProtobufError);
    assert.equal(err.code, UiErrorCodes.API_BAD_PROTOBUF);
    assert.match(err.message, /returned protobuf that is not a trace: protobuf: truncated/);
  });
});
