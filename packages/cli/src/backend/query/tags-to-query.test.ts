import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { stringify } from './ast-stringer.ts';
import { executeSearch, traceqlSearchEngine } from './engine.ts';
import { TagsParseError } from './errors.ts';
import { parse } from './parser.ts';
import { parseLogfmt, tagsToQuery } from './tags-to-query.ts';
import { memoryFetcher, NAMES } from './testdata/traces.ts';

describe('tagsToQuery', () => {
  it('turns logfmt tags into one span filter', () => {
    const root = tagsToQuery('service.name="order" http.response.status_code=500 name="GET /api/order/:id"');
    assert.equal(
      stringify(root),
      '{ resource.service.name = "order" && (.http.response.status_code = 500 || .http.response.status_code = "500") && name = "GET /api/order/:id" }',
    );
    assert.deepStrictEqual(parse(stringify(root)), root);
  });

  it('maps status, error and typed values', () => {
    assert.equal(stringify(tagsToQuery('status.code=error')), '{ status = error }');
    assert.equal(stringify(tagsToQuery('error=true')), '{ status = error }');
    assert.equal(stringify(tagsToQuery('cached=false')), '{ .cached = false || .cached = "false" }');
    assert.equal(stringify(tagsToQuery('delta=-1.5')), '{ .delta = -1.5 || .delta = "-1.5" }');
    assert.equal(stringify(tagsToQuery('')), '{ }');
  });

  it('finds what the equivalent search finds', async () => {
    const run = async (tags: string) =>
      (await executeSearch(memoryFetcher(), { query: tagsToQuery(tags) })).traces.map((t) => NAMES.get(t.traceID));
    assert.deepEqual(await run('service.name=order http.response.status_code=500'), ['T2']);
    assert.deepEqual(await run('error=true'), ['T2']);
    assert.deepEqual(await run('db.system=postgresql'), ['T3']);
    assert.deepEqual(await run('retries=3 env=canary'), ['T5']);
    assert.deepEqual(await run('service.name=order name=render'), ['T3']);
  });

  it('rejects malformed logfmt with a typed error', () => {
    for (const bad of ['a="unterminated', '=x', 'novalue', 'a=b"c', 'a="x"y', 'status.code=bogus', 'a="\\q"']) {
      assert.throws(() => tagsToQuery(bad), TagsParseError, bad);
    }
    assert.throws(() => traceqlSearchEngine.tagsToQuery('a="x'), /^TagsParseError: invalid tags: unterminated/);
  });

  it('decodes quoted values', () => {
    assert.deepEqual(parseLogfmt('a="x \\"y\\" z" b=c'), [
      ['a', 'x "y" z'],
      ['b', 'c'],
    ]);
  });
});
