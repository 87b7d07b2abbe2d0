import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { exemplarPlotValue, formatMetricValue, histogramBucketUnit, instantValues, isSingleHistogram, metricsChartModel, metricsValueUnit, sampleTimes, seriesName } from './metrics-series.ts';
import type { QueryRangeResponse } from './tempo-types.ts';

const str = (key: string, v: string) => ({ key, value: { stringValue: v } });

describe('metricsChartModel', () => {
  it('names series by their by() labels and keeps samples and exemplars with their trace', () => {
    const body: QueryRangeResponse = {
      series: [
        {
          labels: [str('resource.service.name', 'order'), { key: 'span.http.status_code', value: { intValue: '200' } }],
          samples: [{ timestampMs: '2000', value: 0.5 }, { timestampMs: '1000', value: 0.25 }, { timestampMs: '3000', value: 'NaN' }],
          exemplars: [
            { labels: [str('trace:id', 'ABC'), str('span:id', '00F067AA0BA902B7')], value: 0.5, timestampMs: '1900' },
            { labels: [str('trace:id', 'javascript:alert(1)')], value: 0.5, timestampMs: '1950' },
          ],
        },
      ],
    };
    const m = metricsChartModel(body);
    assert.equal(m.series.length, 1);
    const s = m.series[0];
    assert.equal(s.name, '{resource.service.name="order", span.http.status_code=200}');
    assert.deepEqual(s.points, [{ t: 1000, v: 0.25 }, { t: 2000, v: 0.5 }]);
    assert.deepEqual(s.exemplars, [{ t: 1900, v: 0.5, traceId: '00000000000000000000000000000abc', spanId: '00f067aa0ba902b7' }, { t: 1950, v: 0.5 }]);
    assert.equal(m.stepMs, 1000);
    assert.equal(m.histogram, false);
  });
  it('names an ungrouped series by its function', () => {
    assert.equal(seriesName([{ name: '__name__', value: 'rate', quoted: true }]), 'rate');
    assert.equal(seriesName([]), 'value');
  });
  it('orders histogram buckets by bound within each group', () => {
    const bucket = (svc: string, b: number) => ({ labels: [str('resource.service.name', svc), { key: '__bucket', value: { doubleValue: b } }], samples: [{ timestampMs: '1000', value: 1 }] });
    const m = metricsChartModel({ series: [bucket('b', 0.5), bucket('a', 16), bucket('a', 2), bucket('a', 0.125)] });
    assert.equal(m.histogram, true);
    assert.deepEqual(m.series.map((s) => s.name), [
      '{resource.service.name="a", __bucket=0.125}',
      '{resource.service.name="a", __bucket=2}',
      '{resource.service.name="a", __bucket=16}',
      '{resource.service.name="b", __bucket=0.5}',
    ]);
  });
  it('passes a partial answer on with its reason', () => {
    assert.equal(metricsChartModel({ series: [], status: 'PARTIAL', message: 'too many series' }).partial, 'too many series');
    assert.equal(metricsChartModel({}).partial, undefined);
  });
  it('collects every sample time once, in order', () => {
    const m = metricsChartModel({ series: [{ samples: [{ timestampMs: 3, value: 1 }, { timestampMs: 1, value: 1 }] }, { samples: [{ timestampMs: 2, value: 1 }, { timestampMs: 3, value: 2 }] }] });
    assert.deepEqual(sampleTimes(m.series), [1, 2, 3]);
  });
});

describe('metric values', () => {
  it('knows durations are in seconds', () => {
    assert.equal(metricsValueUnit('{ } | quantile_over_time(duration, .9)'), 'seconds');
    assert.equal(metricsValueUnit('{ } | avg_over_time(span:duration) by (name)'), 'seconds');
    assert.equal(metricsValueUnit('{ } | histogram_over_time(duration)'), 'number');
    assert.equal(metricsValueUnit('{ } | rate()'), 'number');
  });
  it('formats with three significant digits', () => {
    assert.equal(formatMetricValue(0.016666666), '0.0167');
    assert.equal(formatMetricValue(12345), '12300');
    assert.equal(formatMetricValue(0), '0');
    assert.equal(formatMetricValue(1e-9), '1.00e-9');
  });
});

describe('histograms', () => {
  const bucket = (svc: string, b: number) => ({
    labels: [str('resource.service.name', svc), { key: '__bucket', value: { doubleValue: b } }],
    samples: [{ timestampMs: '60000', value: 0 }, { timestampMs: '120000', value: 3 }],
    exemplars: [{ labels: [str('trace:id', 'abc')], value: 0.7, timestampMs: '90000' }],
  });
  it('draws as a heatmap only when all buckets are one group', () => {
    assert.equal(isSingleHistogram(metricsChartModel({ series: [bucket('a', 1), bucket('a', 2)] })), true);
    assert.equal(isSingleHistogram(metricsChartModel({ series: [bucket('a', 1), bucket('b', 2)] })), false);
    assert.equal(isSingleHistogram(metricsChartModel({ series: [{ labels: [str('x', 'y')], samples: [{ timestampMs: 1, value: 1 }] }] })), false);
  });
  it("puts a histogram exemplar on its interval's count, others at their value", () => {
    const [s] = metricsChartModel({ series: [bucket('a', 1)] }).series;
    assert.equal(exemplarPlotValue(s, s.exemplars[0]), 3);
    const [plain] = metricsChartModel({ series: [{ samples: [{ timestampMs: 1, value: 1 }] }] }).series;
    assert.equal(exemplarPlotValue(plain, { t: 1, v: 9 }), 9);
  });
  it('knows duration buckets are seconds', () => {
    assert.equal(histogramBucketUnit('{ } | histogram_over_time(duration) by (name)'), 'seconds');
    assert.equal(histogramBucketUnit('{ } | histogram_over_time(span.size)'), 'number');
  });
});

describe('instantValues', () => {
  it('names each series and keeps its value, dropping non-finite ones', () => {
    const out = instantValues({ series: [{ labels: [str('name', 'GET /')], value: 2.5 }, { labels: [str('name', 'x')], value: 'NaN' }, { value: 1 }], status: 'PARTIAL', message: 'cut' });
    assert.deepEqual(out.values.map((v) => [v.name, v.value]), [['{name="GET /"}', 2.5], ['value', 1]]);
    assert.equal(out.partial, 'cut');
  });
});
