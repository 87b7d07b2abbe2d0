/**
 * Checks the OTLP rules protobuf itself cannot express, the same way for every input format:
 * a span has a 16-byte trace id and an 8-byte span id, a parent id is empty or 8 bytes, links
 * point at full ids. The store keys spans on these ids, so a bad one is a bad request. Kind and
 * status code must be known enum values, as OTLP/JSON's decoder already requires.
 */
import { OtlpDecodeError } from './errors.ts';
import { SPAN_ID_BYTES, TRACE_ID_BYTES } from './ids.ts';
import type { ExportTraceServiceRequest, Span } from './types.ts';

const MAX_SPAN_KIND = 5; // SPAN_KIND_CONSUMER
const MAX_STATUS_CODE = 2; // STATUS_CODE_ERROR

type Format = 'protobuf' | 'json';

/** Throws OtlpDecodeError naming the first bad id; returns the number of spans. */
export function validateRequest(request: ExportTraceServiceRequest, format: Format): number {
  let spanCount = 0;
  // Plain loops: this runs for every span of every export, and the path is built only on error.
  const resourceSpans = request.resourceSpans;
  for (let r = 0; r < resourceSpans.length; r++) {
    const scopeSpans = resourceSpans[r].scopeSpans;
    for (let s = 0; s < scopeSpans.length; s++) {
      const spans = scopeSpans[s].spans;
      for (let i = 0; i < spans.length; i++) {
        const problem = spanProblem(spans[i]);
        if (problem) throw new OtlpDecodeError(format, `resourceSpans[${r}].scopeSpans[${s}].spans[${i}]${problem}`);
        spanCount++;
      }
    }
  }
  return spanCount;
}

/** What is wrong with one span, as a path suffix and reason, or undefined. */
function spanProblem(span: Span): string | undefined {
  if (span.traceId.length !== TRACE_ID_BYTES) return lengthProblem('.traceId', span.traceId, TRACE_ID_BYTES);
  if (span.spanId.length !== SPAN_ID_BYTES) return lengthProblem('.spanId', span.spanId, SPAN_ID_BYTES);
  if (span.parentSpanId.length !== 0 && span.parentSpanId.length !== SPAN_ID_BYTES) {
    return lengthProblem('.parentSpanId', span.parentSpanId, SPAN_ID_BYTES);
  }
  if (!(span.kind >= 0 && span.kind <= MAX_SPAN_KIND)) return `.kind: unknown span kind ${span.kind}`;
  const code = span.status?.code ?? 0;
  if (!(code >= 0 && code <= MAX_STATUS_CODE)) return `.status.code: unknown status code ${code}`;
  const links = span.links;
  for (let l = 0; l < links.length; l++) {
    const link = links[l];
    if (link.traceId.length !== TRACE_ID_BYTES) return lengthProblem(`.links[${l}].traceId`, link.traceId, TRACE_ID_BYTES);
    if (link.spanId.length !== SPAN_ID_BYTES) return lengthProblem(`.links[${l}].spanId`, link.spanId, SPAN_ID_BYTES);
  }
  return undefined;
}

function lengthProblem(path: string, id: Uint8Array, bytes: number): string {
  return `${path}: expected ${bytes} bytes, got ${id.length}`;
}
