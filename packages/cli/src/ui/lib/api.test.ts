import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApiBadJsonError, ApiNetworkError, ApiStatusError, UiErrorCodes } from '../errors.ts';
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
});
