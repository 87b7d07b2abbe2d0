import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Counter, Histogram, Registry } from 'prom-client';
import { decodeJsonObject, decodeProtobufRequest, otlpTypes, type ExportTraceServiceRequest } from '../otlp/index.ts';
import { DEFAULT_SPAN_METRICS_BUCKETS, METRIC_NAMES, SPAN_METRICS_LABELS, createMetricsGenerator } from './index.ts';
import { SPAN_KIND_NAMES, STATUS_CODE_NAMES, durationSeconds, findAttribute } from './span-facts.ts';
import { createRng } from '../../../../../test/lib/random.ts';

/** Span metrics as first written: a fresh label object and one inc + observe per span. */
function referenceSpanMetrics() {
  const registry = new Registry();
  const labelNames = [...SPAN_METRICS_LABELS];
  const calls = new Counter({ name: METRIC_NAMES.spanMetricsCallsTotal, help: 'Total count of the spans', labelNames, registers: [registry] });
  const latency = new Histogram({ name: METRIC_NAMES.spanMetricsLatency, help: 'Latency of the spans in seconds', labelNames, buckets: [...DEFAULT_SPAN_METRICS_BUCKETS], registers: [registry] });
  return {
    push(request: ExportTraceServiceRequest) {
      for (const rs of request.resourceSpans) {
        const service = findAttribute('service.name', rs.resource?.attributes) ?? '';
        for (const ss of rs.scopeSpans) {
          for (const span of ss.spans) {
            const labels = {
              service,
              span_name: span.name,
              span_kind: SPAN_KIND_NAMES[span.kind] ?? SPAN_KIND_NAMES[0],
              status_code: STATUS_CODE_NAMES[span.status?.code ?? 0] ?? STATUS_CODE_NAMES[0],
            };
            calls.inc(labels);
            latency.observe(labels, durationSeconds(span));
          }
        }
      }
    },
    text: () => registry.metrics(),
  };
}

/** The span-metrics families of a metrics text, in order. */
function spanMetricsPart(text: string): string {
  return text
    .split('\n')
    .filter((line) => line.includes(METRIC_NAMES.spanMetricsCallsTotal) || line.includes(METRIC_NAMES.spanMetricsLatency))
    .join('\n');
}

describe('span metrics', () => {
  it('count and time every span exactly as one inc and observe per span did', async (t) => {
    const generator = createMetricsGenerator({ expireIntervalMs: 0 });
    t.after(() => generator.stop());
    const reference = referenceSpanMetrics();
    const rand = createRng(9).int;
    const id = (bytes: number) => Array.from({ length: bytes }, () => rand(256).toString(16).padStart(2, '0')).join('');
    for (let i = 0; i < 60; i++) {
      const json = {
        resourceSpans: Array.from({ length: 1 + rand(3) }, () => ({
          resource: rand(5) === 0 ? {} : { attributes: [{ key: 'service.name', value: { stringValue: ['order', 'user', 'ü'][rand(3)] } }] },
          scopeSpans: Array.from({ length: 1 + rand(2) }, () => ({
            spans: Array.from({ length: rand(20) }, () => ({
              traceId: id(16),
              spanId: id(8),
              name: ['GET /a', 'SELECT', ''][rand(3)],
              kind: rand(6),
              startTimeUnixNano: String(1_700_000_000_000_000_000n + BigInt(rand(1_000_000_000))),
              endTimeUnixNano: String(1_700_000_000_000_000_000n + BigInt(rand(3_000_000_000))),
              status: { code: rand(3) },
            })),
          })),
        })),
      };
      const request = decodeJsonObject(json);
      // Alternate the two decoders: the protobuf one shares trace id objects and uses bigint times.
      const pushed = i % 2 ? decodeProtobufRequest(otlpTypes.ExportTraceServiceRequest.encode(request as never).finish()) : request;
      generator.push(pushed);
      reference.push(pushed);
    }
    const expected = spanMetricsPart(await reference.text());
    assert.ok(expected.length > 1000);
    assert.equal(spanMetricsPart(await generator.metrics()), expected);
  });
});
