import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { columnsFor } from './columns.ts';
import { parse } from './parser.ts';

const columns = (q: string) => columnsFor(parse(q));

describe('columnsFor', () => {
  it('asks for the span attributes a query names anywhere, and nothing else', () => {
    assert.deepEqual(columns('{ span.http.response.status_code >= 500 }'), { spanAttributes: ['http.response.status_code'], events: false, links: false });
    assert.deepEqual(columns('{ resource.service.name = "a" } >> { status = error && .x = 1 }'), { spanAttributes: ['x'], events: false, links: false });
    assert.deepEqual(columns('{ } | avg(span.dur) > 2 | select(span.b, resource.r)'), { spanAttributes: ['b', 'dur'], events: false, links: false });
  });

  it('asks for events or links when the query looks at them', () => {
    assert.deepEqual(columns('{ event.exception.type = "E" }'), { spanAttributes: [], events: true, links: false });
    assert.deepEqual(columns('{ event:name = "x" }'), { spanAttributes: [], events: true, links: false });
    assert.deepEqual(columns('{ link:traceID = "abc" || link.k = 1 }'), { spanAttributes: [], events: false, links: true });
  });
});
