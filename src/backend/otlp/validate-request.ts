/**
 * Checks the OTLP rules protobuf itself cannot express, the same way for every input format:
 * a span has a 16-byte trace id and an 8-byte span id, a parent id is empty or 8 bytes, links
 * point at full ids. The store keys spans on these ids, so a bad one is a bad request. Kind and
 * status code must be known enum values, as OTLP/JSON's decoder already requires.
 */
import { OtlpDecodeError } from './errors.ts';
import { SPAN_ID_BYTES, TRACE_ID_BYTES } from './ids.ts';
import type { ExportTraceServiceRequest } from './types.ts';

const MAX_SPAN_KIND = 5; // SPAN_KIND_CONSUMER
const MAX_STATUS_CODE = 2; // STATUS_CODE_ERROR

/** Throws OtlpDecodeError naming the first bad id; returns the number of spans. */
export function validateRequest(request: ExportTraceServiceRequest, format: 'protobuf' | 'json'): number {
  let spanCount = 0;
  request.resourceSpans.forEach((rs, r) => {
    rs.scopeSpans.forEach((ss, s) => {
      ss.spans.forEach((span, i) => {
        const at = `resourceSpans[${r}].scopeSpans[${s}].spans[${i}]`;
        checkLength(format, `${at}.traceId`, span.traceId, TRACE_ID_BYTES);
        checkLength(format, `${at}.spanId`, span.spanId, SPAN_ID_BYTES);
        if (span.parentSpanId.length !== 0) checkLength(format, `${at}.parentSpanId`, span.parentSpanId, SPAN_ID_BYTES);
        if (!(span.kind >= 0 && span.kind <= MAX_SPAN_KIND)) {
          throw new OtlpDecodeError(format, `${at}.kind: unknown span kind ${span.kind}`);
        }
        const code = span.status?.code ?? 0;
        if (!(code >= 0 && code <= MAX_STATUS_CODE)) {
          throw new OtlpDecodeError(format, `${at}.status.code: unknown status code ${code}`);
        }
        span.links.forEach((link, l) => {
          checkLength(format, `${at}.links[${l}].traceId`, link.traceId, TRACE_ID_BYTES);
          checkLength(format, `${at}.links[${l}].spanId`, link.spanId, SPAN_ID_BYTES);
        });
        spanCount++;
      });
    });
  });
  return spanCount;
}

function checkLength(format: 'protobuf' | 'json', path: string, id: Uint8Array, bytes: number): void {
  if (id.length !== bytes) {
    throw new OtlpDecodeError(format, `${path}: expected ${bytes} bytes, got ${id.length}`);
  }
}
