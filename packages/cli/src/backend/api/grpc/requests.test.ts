import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseLogfmt } from '../../query/tags-to-query.ts';
import { queryInstantParams, queryRangeParams, searchParams, searchTagValuesParams, searchTagsParams } from './requests.ts';

const search = { Tags: {}, MinDurationMs: 0, MaxDurationMs: 0, Limit: 0, start: 0, end: 0, Query: '', SpansPerSpanSet: 0 };

describe('gRPC requests as HTTP parameters (Tempo pkg/api Build*Request)', () => {
  it('search: set fields only, durations in ms, 0 meaning "not given"', () => {
    assert.equal(searchParams(search).toString(), '');
    const params = searchParams({ ...search, Query: '{ a = "b" }', Limit: 5, start: 100, end: 200, MinDurationMs: 10, MaxDurationMs: 2500, SpansPerSpanSet: 7 });
    assert.deepEqual(Object.fromEntries(params), { start: '100', end: '200', limit: '5', maxDuration: '2500ms', minDuration: '10ms', spss: '7', q: '{ a = "b" }' });
  });

  it('search: the Tags map becomes logfmt that reads back to the same pairs, quotes and spaces included', () => {
    const tags = { 'service.name': 'check out', 'http.url': 'a="b"\\c', plain: 'x' };
    const logfmt = searchParams({ ...search, Tags: tags }).get('tags')!;
    assert.deepEqual(Object.fromEntries(parseLogfmt(logfmt)), tags);
  });

  it('tags and tag values', () => {
    assert.deepEqual(Object.fromEntries(searchTagsParams({ scope: 'span', query: '{}', start: 1, end: 2, maxTagsPerScope: 3, staleValuesThreshold: 0 })), {
      start: '1',
      end: '2',
      scope: 'span',
      q: '{}',
      limit: '3',
    });
    assert.deepEqual(Object.fromEntries(searchTagValuesParams({ tagName: 'x', query: '', start: 0, end: 0, maxTagValues: 9, staleValueThreshold: 0 })), { limit: '9' });
  });

  it('metrics: nanosecond times kept, the step as a duration, 0 left out', () => {
    const base = { query: '{} | rate()', start: '1800000000000000000', end: '1800000060000000000', queryMode: '', exemplars: 0, maxSeries: 0 };
    const cases: Array<[string, string | undefined]> = [['60000000000', '60s'], ['1500000000', '1500ms'], ['2500', '2500ns'], ['7000', '7us'], ['0', undefined]];
    for (const [step, expected] of cases) assert.equal(queryRangeParams({ ...base, step }).get('step') ?? undefined, expected, step);
    assert.deepEqual(Object.fromEntries(queryRangeParams({ ...base, step: '0', exemplars: 4 })), { start: base.start, end: base.end, q: base.query, exemplars: '4' });
    assert.deepEqual(Object.fromEntries(queryInstantParams({ query: 'q', start: '1', end: '2' })), { start: '1', end: '2', q: 'q' });
  });
});
