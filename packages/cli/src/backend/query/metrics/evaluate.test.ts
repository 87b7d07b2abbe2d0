/**
 * Metrics values against hand counts of the spans in ./testdata.ts. With start B, end B+60 and a
 * 15 s step, Tempo's alignment adds one leading interval, so the samples are stamped
 * B, B+15, B+30, B+45, B+60 and hold the spans that started in (B-15, B], (B, B+15], ...
 *
 *   interval   a                 b
 *   0 (B)      -                 b3
 *   1 (B+15)   a1 a2 a3          -
 *   2 (B+30)   a4 (error)        -
 *   3 (B+45)   -                 -
 *   4 (B+60)   -                 b1
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TraceQLParseError, TraceQLValidationError } from '../errors.ts';
import { memoryFetcher } from '../testdata/traces.ts';
import { evaluateMetricsQueryInstant, evaluateMetricsQueryRange, type MetricsQueryRangeRequest } from './evaluate.ts';
import type { QueryRangeResponse } from './series.ts';
import { B, metricsTraces, SEC, secs } from '../testdata/metrics-traces.ts';

const fetcher = () => memoryFetcher(metricsTraces());

function range(query: string, extra: Partial<MetricsQueryRangeRequest> = {}): Promise<QueryRangeResponse> {
  return evaluateMetricsQueryRange(fetcher(), { query, start: B * SEC, end: (B + 60n) * SEC, step: 15n * SEC, exemplars: 0, ...extra });
}

const ts = (offsetSeconds: number) => String((Number(B) + offsetSeconds) * 1000);

/** Series as `labels → [[offset seconds, value], ...]` for compact expectations. */
function table(res: QueryRangeResponse): Record<string, Array<[number, number]>> {
  const out: Record<string, Array<[number, number]>> = {};
  for (const s of res.series) {
    const key = s.labels.map((l) => `${l.key}=${Object.values(l.value)[0]}`).join(',');
    out[key] = s.samples.map((x) => [Number(x.timestampMs) / 1000 - Number(B), x.value]);
  }
  return out;
}

function close(actual: Record<string, Array<[number, number]>>, expected: Record<string, Array<[number, number]>>): void {
  assert.deepEqual(Object.keys(actual).sort(), Object.keys(expected).sort());
  for (const [key, points] of Object.entries(expected)) {
    assert.equal(actual[key]!.length, points.length, key);
    points.forEach(([t, v], i) => {
      assert.equal(actual[key]![i]![0], t, `${key} time ${i}`);
      assert.ok(Math.abs(actual[key]![i]![1] - v) < 1e-12, `${key} at ${t}: ${actual[key]![i]![1]} != ${v}`);
    });
  }
}

describe('TraceQL metrics: values match hand counts', () => {
  it('count_over_time and rate, ungrouped: __name__ label, a sample in every interval', async () => {
    close(table(await range('{ } | count_over_time()')), {
      '__name__=count_over_time': [[0, 1], [15, 3], [30, 1], [45, 0], [60, 1]],
    });
    close(table(await range('{ } | rate()')), {
      '__name__=rate': [[0, 1 / 15], [15, 3 / 15], [30, 1 / 15], [45, 0], [60, 1 / 15]],
    });
  });

  it('rate by one label', async () => {
    close(table(await range('{ } | rate() by (resource.service.name)')), {
      'resource.service.name=a': [[0, 0], [15, 0.2], [30, 1 / 15], [45, 0], [60, 0]],
      'resource.service.name=b': [[0, 1 / 15], [15, 0], [30, 0], [45, 0], [60, 1 / 15]],
    });
  });

  it('count by two labels, typed label values', async () => {
    const res = await range('{ } | count_over_time() by (resource.service.name, span.http.response.status_code)');
    close(table(res), {
      'resource.service.name=a,span.http.response.status_code=200': [[0, 0], [15, 3], [30, 0], [45, 0], [60, 0]],
      'resource.service.name=a,span.http.response.status_code=500': [[0, 0], [15, 0], [30, 1], [45, 0], [60, 0]],
      'resource.service.name=b,span.http.response.status_code=200': [[0, 1], [15, 0], [30, 0], [45, 0], [60, 1]],
    });
    assert.deepEqual(res.series[0]!.labels[1], { key: 'span.http.response.status_code', value: { intValue: '200' } });
  });

  it('sum, min, max and avg over time of duration, in seconds, only where spans are', async () => {
    const by = ' by (resource.service.name)';
    close(table(await range(`{ } | sum_over_time(duration)${by}`)), {
      'resource.service.name=a': [[15, secs(27) + 2 * secs(28)], [30, secs(30)]],
      'resource.service.name=b': [[0, secs(27)], [60, secs(29)]],
    });
    close(table(await range(`{ } | min_over_time(duration)${by}`)), {
      'resource.service.name=a': [[15, secs(27)], [30, secs(30)]],
      'resource.service.name=b': [[0, secs(27)], [60, secs(29)]],
    });
    close(table(await range(`{ } | max_over_time(duration)${by}`)), {
      'resource.service.name=a': [[15, secs(28)], [30, secs(30)]],
      'resource.service.name=b': [[0, secs(27)], [60, secs(29)]],
    });
    close(table(await range(`{ } | avg_over_time(duration)${by}`)), {
      'resource.service.name=a': [[15, (secs(27) + 2 * secs(28)) / 3], [30, secs(30)]],
      'resource.service.name=b': [[0, secs(27)], [60, secs(29)]],
    });
    // An attribute works the same way; spans without it are skipped.
    close(table(await range('{ } | max_over_time(span.size)')), {
      '__name__=max_over_time': [[0, 27], [15, 28], [30, 30], [60, 29]],
    });
  });

  it('histogram_over_time: a series per power-of-two bucket (seconds), counting spans', async () => {
    close(table(await range('{ resource.service.name = "a" } | histogram_over_time(duration)')), {
      [`__name__=histogram_over_time,__bucket=${secs(27)}`]: [[0, 0], [15, 1], [30, 0], [45, 0], [60, 0]],
      [`__name__=histogram_over_time,__bucket=${secs(28)}`]: [[0, 0], [15, 2], [30, 0], [45, 0], [60, 0]],
      [`__name__=histogram_over_time,__bucket=${secs(30)}`]: [[0, 0], [15, 0], [30, 1], [45, 0], [60, 0]],
    });
  });

  it("quantile_over_time: Tempo's log2 interpolation, a series per quantile, 0 where empty", async () => {
    // Interval 1 of a holds one 2^27 and two 2^28 spans. p50 needs ceil(1.5) = 2 samples: one from
    // the first bucket, then half of the second, so 2^(27 + 0.5). p90 needs 3: the second
    // bucket's top, 2^28. p0 reads one sample: the first bucket's top.
    close(table(await range('{ } | quantile_over_time(duration, 0, .5, .9) by (resource.service.name)')), {
      'resource.service.name=a,p=0': [[0, 0], [15, secs(27)], [30, secs(30)], [45, 0], [60, 0]],
      'resource.service.name=a,p=0.5': [[0, 0], [15, secs(27.5)], [30, secs(30)], [45, 0], [60, 0]],
      'resource.service.name=a,p=0.9': [[0, 0], [15, secs(28)], [30, secs(30)], [45, 0], [60, 0]],
      'resource.service.name=b,p=0': [[0, secs(27)], [15, 0], [30, 0], [45, 0], [60, secs(29)]],
      'resource.service.name=b,p=0.5': [[0, secs(27)], [15, 0], [30, 0], [45, 0], [60, secs(29)]],
      'resource.service.name=b,p=0.9': [[0, secs(27)], [15, 0], [30, 0], [45, 0], [60, secs(29)]],
    });
  });

  it('a step that does not divide the range: start aligned down, end up, boundaries right-closed', async () => {
    // start B, end B+50, step 20 s: intervals (B-20, B], (B, B+20], (B+20, B+40], (B+40, B+60].
    // a4 at exactly B+20 belongs to (B, B+20].
    close(table(await range('{ } | count_over_time()', { end: (B + 50n) * SEC, step: 20n * SEC })), {
      '__name__=count_over_time': [[0, 1], [20, 4], [40, 0], [60, 1]],
    });
  });

  it('an empty range answers no series', async () => {
    const res = await range('{ } | rate() by (resource.service.name)', { start: (B - 3600n) * SEC, end: (B - 1800n) * SEC, step: 60n * SEC });
    assert.deepEqual(res.series, []);
    const none = await range('{ resource.service.name = "nobody" } | count_over_time()');
    assert.deepEqual(none.series, []);
  });

  it('topk and bottomk keep, per interval, the k highest or lowest series there', async () => {
    close(table(await range('{ } | rate() by (resource.service.name) | topk(1)')), {
      // Interval 3 is a tie at 0; the smaller label wins.
      'resource.service.name=a': [[15, 0.2], [30, 1 / 15], [45, 0]],
      'resource.service.name=b': [[0, 1 / 15], [60, 1 / 15]],
    });
    close(table(await range('{ } | count_over_time() by (resource.service.name) | bottomk(1)')), {
      'resource.service.name=a': [[0, 0], [45, 0], [60, 0]],
      'resource.service.name=b': [[15, 0], [30, 0]],
    });
  });

  it('value filters keep only the values that pass', async () => {
    close(table(await range('{ } | count_over_time() by (resource.service.name) > 1')), {
      'resource.service.name=a': [[15, 3]],
    });
    close(table(await range('({ } | count_over_time() by (resource.service.name)) >= 1 | topk(1)')), {
      'resource.service.name=a': [[15, 3], [30, 1]],
      'resource.service.name=b': [[0, 1], [60, 1]],
    });
  });

  it('arithmetic between queries and with numbers', async () => {
    // Error ratio: errors per interval over all spans; 0/0 has no sample.
    close(table(await range('({ status = error } | count_over_time()) / ({ } | count_over_time())')), {
      '__name__=(count_over_time / count_over_time)': [[0, 0], [15, 0], [30, 1], [60, 0]],
    });
    close(table(await range('({ } | count_over_time() by (resource.service.name)) * 100 + 1')), {
      'resource.service.name=a': [[0, 1], [15, 301], [30, 101], [45, 1], [60, 1]],
      'resource.service.name=b': [[0, 101], [15, 1], [30, 1], [45, 1], [60, 101]],
    });
    // A grouped side matches an ungrouped one series by series.
    close(table(await range('({ } | count_over_time() by (resource.service.name)) / ({ } | count_over_time())')), {
      'resource.service.name=a': [[0, 0], [15, 1], [30, 1], [60, 0]],
      'resource.service.name=b': [[0, 1], [15, 0], [30, 0], [60, 1]],
    });
  });

  it('compare(): attribute values of the selection against the baseline, with totals', async () => {
    const res = table(await range('{ } | compare({ status = error })'));
    assert.deepEqual(res['__meta_type=selection,status=error'], [[0, 0], [15, 0], [30, 1], [45, 0], [60, 0]]);
    assert.deepEqual(res['__meta_type=baseline,resource.service.name=a'], [[0, 0], [15, 3], [30, 0], [45, 0], [60, 0]]);
    assert.deepEqual(res['__meta_type=baseline,resource.service.name=b'], [[0, 1], [15, 0], [30, 0], [45, 0], [60, 1]]);
    assert.deepEqual(res['__meta_type=selection_total,name=nil'], [[0, 0], [15, 0], [30, 1], [45, 0], [60, 0]]);
    assert.deepEqual(res['__meta_type=baseline_total,span.size=nil'], [[0, 1], [15, 3], [30, 0], [45, 0], [60, 1]]);
    assert.equal(res['__meta_type=baseline,status=error'], undefined);
    // A selection window (unix ns): only spans that started in (B, B+15s] can be selected, so a4
    // (B+20s, service a) falls to the baseline with b3 and b1; topN 1 keeps each attribute's most
    // frequent value there: status unset (2 spans) over error (1).
    const windowed = table(await range(`{ } | compare({ resource.service.name = "a" }, 1, ${B * SEC}, ${(B + 15n) * SEC})`));
    assert.deepEqual(windowed['__meta_type=selection_total,name=nil'], [[0, 0], [15, 3], [30, 0], [45, 0], [60, 0]]);
    assert.deepEqual(windowed['__meta_type=baseline_total,name=nil'], [[0, 1], [15, 0], [30, 1], [45, 0], [60, 1]]);
    assert.deepEqual(windowed['__meta_type=baseline,status=unset'], [[0, 1], [15, 0], [30, 0], [45, 0], [60, 1]]);
    assert.equal(windowed['__meta_type=baseline,status=error'], undefined);
  });

  it('exemplars point at spans, carry the series value for rate, their duration for quantiles', async () => {
    const res = await range('{ } | rate() by (resource.service.name)', { exemplars: 100 });
    const a = res.series.find((s) => s.labels[0]!.value.stringValue === 'a')!;
    assert.deepEqual(
      a.exemplars!.map((e) => [e.labels.find((l) => l.key === 'span:id')!.value.stringValue, e.timestampMs, e.value]),
      [
        ['00000000000000a1', ts(1), 0.2],
        ['00000000000000a2', ts(5), 0.2],
        ['00000000000000a3', ts(15), 0.2],
        ['00000000000000a4', ts(20), 1 / 15],
      ],
    );
    assert.equal(a.exemplars![0]!.labels.find((l) => l.key === 'trace:id')!.value.stringValue, '00000000000000000000000000000002');
    const q = await range('{ } | quantile_over_time(duration, .99) by (resource.service.name)', { exemplars: 100 });
    const b = q.series.find((s) => s.labels[0]!.value.stringValue === 'b')!;
    assert.deepEqual(b.exemplars!.map((e) => e.value), [secs(27), secs(29)]);
    // exemplars=0 is "the default"; instant queries never have any.
    const none = await range('{ } | rate()', { exemplars: 0 });
    assert.ok(none.series[0]!.exemplars!.length > 0);
  });

  it('a with(exemplars=N) hint wins over the parameter; 0 turns them off', async () => {
    const off = await range('{ } | rate() with(exemplars=0)', { exemplars: 50 });
    assert.equal(off.series[0]!.exemplars, undefined);
    const two = await range('{ } | rate() with(exemplars=2)', { exemplars: 50 });
    // Collected one per interval (b3, a1, a4, b1), then spread over time: the first and the third.
    assert.deepEqual(two.series[0]!.exemplars!.map((e) => e.timestampMs), [ts(-5), ts(20)]);
  });

  it('keeps at most `exemplars` in the whole answer, shared among the series', async () => {
    const res = await range('{ } | count_over_time() by (resource.service.name)', { exemplars: 3 });
    const counts = res.series.map((s) => s.exemplars?.length ?? 0);
    assert.deepEqual(counts, [2, 1]);
  });

  it('instant=true on a range query gives one sample at the end of the exact range', async () => {
    const res = await range('{ } | count_over_time()', { instant: true });
    assert.deepEqual(res.series[0]!.samples, [{ timestampMs: ts(60), value: 5 }]);
  });

  it('instant queries: one value over the exact range', async () => {
    // [B, B+60] holds a1 a2 a3 a4 b1: 5 spans in 60 s.
    const res = await evaluateMetricsQueryInstant(fetcher(), { query: '{ } | rate() by (resource.service.name)', start: B * SEC, end: (B + 60n) * SEC });
    assert.deepEqual(
      res.series.map((s) => [s.labels[0]!.value.stringValue, s.value]),
      [
        ['a', 4 / 60],
        ['b', 1 / 60],
      ],
    );
    // Only traces overlapping the range are read.
    assert.equal(res.metrics.inspectedTraces, 5);
  });

  it('cuts an answer at maxSeries and says so', async () => {
    const res = await range('{ } | count_over_time() by (span:id)', { maxSeries: 2 });
    assert.equal(res.series.length, 2);
    assert.equal(res.status, 'PARTIAL');
    assert.match(res.message!, /maximum of 2 series/);
  });

  it('refuses bad requests with typed errors', async () => {
    await assert.rejects(range('{ } | rate( by'), TraceQLParseError);
    await assert.rejects(range('{ status = error }'), /not a metrics query/);
    await assert.rejects(range('{ } | rate() | topk(0)'), TraceQLValidationError);
    await assert.rejects(range('{ } | rate()', { end: B * SEC }), /end must be after start/);
    // Tempo's max_intervals: 60 s in 1 ms steps is 60,000 intervals.
    await assert.rejects(range('{ } | rate()', { step: 1_000_000n }), /step of 1ms is too small, minimum step for given range is 6ms/);
  });
});
