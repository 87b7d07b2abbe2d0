import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ProtobufTraceSerializer, TraceExporterMetricsHelper } from '@opentelemetry/otlp-transformer';
import type { ReadableSpan } from '../exporters/types.ts';
import { fastTraceSerializer, spanExportMetrics } from './serializer.ts';

describe('the parts of the fast serializer that stand in for otlp-transformer', () => {
  test('spanExportMetrics is TraceExporterMetricsHelper: same name, same count', () => {
    assert.equal(spanExportMetrics.name, TraceExporterMetricsHelper.name);
    for (const n of [0, 1, 3, 512]) {
      const batch = Array.from({ length: n }, () => ({}) as ReadableSpan);
      assert.equal(spanExportMetrics.countItems(batch), TraceExporterMetricsHelper.countItems(batch));
    }
  });

  test('a response reads as the official serializer reads it: empty, and a partial success', () => {
    // ExportTraceServiceResponse { partial_success { rejected_spans: 2, error_message: "bad id" } }
    const message = Buffer.from('bad id');
    const partial = Buffer.concat([Buffer.from([0x08, 0x02, 0x12, message.length]), message]);
    const response = Buffer.concat([Buffer.from([0x0a, partial.length]), partial]);
    for (const body of [new Uint8Array(0), response]) {
      assert.deepEqual(fastTraceSerializer.deserializeResponse(body), ProtobufTraceSerializer.deserializeResponse(body));
    }
    assert.deepEqual(fastTraceSerializer.deserializeResponse(response), { partialSuccess: { rejectedSpans: 2, errorMessage: 'bad id' } });
  });
});
