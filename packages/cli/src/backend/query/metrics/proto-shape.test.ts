/**
 * The answers are Tempo's protobuf messages in proto3 JSON form: protobufjs' `fromObject` takes
 * them as they are, so a gRPC handler can encode them without reshaping. The schema below holds
 * the field numbers of Tempo's pkg/tempopb/tempo.proto (QueryRangeResponse and what it uses) and
 * OTLP's common.proto, written out for this test.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import protobuf from 'protobufjs';
import { memoryFetcher } from '../testdata/traces.ts';
import { evaluateMetricsQueryInstant, evaluateMetricsQueryRange } from './evaluate.ts';
import { B, metricsTraces, SEC } from '../testdata/metrics-traces.ts';

const SCHEMA = `
syntax = "proto3";
package tempopb;
message AnyValue { oneof value { string string_value = 1; bool bool_value = 2; int64 int_value = 3; double double_value = 4; ArrayValue array_value = 5; } }
message ArrayValue { repeated AnyValue values = 1; }
message KeyValue { string key = 1; AnyValue value = 2; }
message SearchMetrics { uint32 inspectedTraces = 1; uint64 inspectedBytes = 2; uint32 totalBlocks = 3; uint32 completedJobs = 4; uint32 totalJobs = 5; uint64 totalBlockBytes = 6; uint64 inspectedSpans = 7; }
enum PartialStatus { COMPLETE = 0; PARTIAL = 1; }
message Sample { int64 timestamp_ms = 2; double value = 1; }
message Exemplar { repeated KeyValue labels = 1; double value = 2; int64 timestamp_ms = 3; }
message TimeSeries { repeated KeyValue labels = 1; repeated Sample samples = 2; repeated Exemplar exemplars = 4; }
message QueryRangeResponse { repeated TimeSeries series = 1; SearchMetrics metrics = 2; PartialStatus status = 3; string message = 4; }
message InstantSeries { repeated KeyValue labels = 1; double value = 2; }
message QueryInstantResponse { repeated InstantSeries series = 1; SearchMetrics metrics = 2; PartialStatus status = 3; string message = 4; }
`;

const root = protobuf.parse(SCHEMA, { keepCase: false }).root;

function roundTrip(typeName: string, value: object): unknown {
  const type = root.lookupType(typeName);
  const bytes = type.encode(type.fromObject(value)).finish();
  return type.toObject(type.decode(bytes), { longs: String, enums: String, defaults: false });
}

describe("metrics answers are Tempo's protobuf messages in JSON form", () => {
  it('QueryRangeResponse survives fromObject → encode → decode', async () => {
    const res = await evaluateMetricsQueryRange(memoryFetcher(metricsTraces()), {
      query: '{ } | quantile_over_time(duration, .5) by (resource.service.name, span.size)',
      start: B * SEC,
      end: (B + 60n) * SEC,
      step: 15n * SEC,
      exemplars: 10,
    });
    const back = roundTrip('tempopb.QueryRangeResponse', res) as typeof res;
    assert.equal(back.series.length, res.series.length);
    assert.deepEqual(back.series[0]!.labels, res.series[0]!.labels);
    // Zero values are the proto3 default and come back absent; everything else is equal.
    assert.deepEqual(
      back.series[0]!.samples.map((s) => [s.timestampMs, s.value ?? 0]),
      res.series[0]!.samples.map((s) => [s.timestampMs, s.value]),
    );
    assert.deepEqual(back.series[0]!.exemplars, res.series[0]!.exemplars);
    assert.deepEqual(back.metrics, res.metrics);
  });

  it('QueryInstantResponse, and PARTIAL status, too', async () => {
    const res = await evaluateMetricsQueryInstant(memoryFetcher(metricsTraces()), {
      query: '{ } | count_over_time() by (span:id)',
      start: B * SEC,
      end: (B + 60n) * SEC,
      maxSeries: 1,
    });
    assert.equal(res.status, 'PARTIAL');
    assert.deepEqual(roundTrip('tempopb.QueryInstantResponse', res), res);
  });
});
