/**
 * Checks the OTLP rules protobuf itself cannot express, the same way for every input format:
 * a span has a 16-byte trace id that is not all zero and an 8-byte span id, a parent id is empty
 * or 8 bytes, links point at full ids. The store keys spans on these ids. Kind and status code
 * must be known enum values, as OTLP/JSON's decoder already requires.
 *
 * A receiver screens a request (screenRequest): the bad spans are dropped and counted, the good
 * ones stored, and the answer is OTLP's partial success naming the first problem. An all-zero
 * span id is kept, as Tempo keeps it (Tempo checks trace ids only): OTLP calls it invalid, but
 * some instrumentations send it, and the trace is still worth showing.
 */
import { OtlpDecodeError } from './errors.ts';
import { SPAN_ID_BYTES, TRACE_ID_BYTES } from './model/ids.ts';
import type { PartialSuccess } from './response.ts';
import type { ExportTraceServiceRequest, Span } from './model/types.ts';

/**
 * An id field of a JSON span that is not hex of the right length: an empty id carrying the
 * reason, so the span is refused on its own with that reason rather than the whole request.
 */
export class InvalidId extends Uint8Array {
  constructor(readonly reason: string) {
    super(0);
  }
}

const MAX_SPAN_KIND = 5; // SPAN_KIND_CONSUMER
const MAX_STATUS_CODE = 2; // STATUS_CODE_ERROR

type Format = 'protobuf' | 'json';

/** Options of the trace request decoders. */
export interface DecodeOptions {
  /**
   * false: leave bad spans in for screenRequest (the receivers' partial success); default true:
   * throw OtlpDecodeError naming the first.
   */
  checkSpans?: boolean;
}

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

/**
 * Drops the spans that break the rules above from `request` (in place) and returns the partial
 * success to answer, or undefined when every span is good.
 */
export function screenRequest(request: ExportTraceServiceRequest, format: Format): PartialSuccess | undefined {
  let rejected = 0;
  let first: string | undefined;
  const resourceSpans = request.resourceSpans;
  for (let r = 0; r < resourceSpans.length; r++) {
    const scopeSpans = resourceSpans[r].scopeSpans;
    for (let s = 0; s < scopeSpans.length; s++) {
      const spans = scopeSpans[s].spans;
      let kept = 0;
      for (let i = 0; i < spans.length; i++) {
        const problem = spanProblem(spans[i]);
        if (problem === undefined) spans[kept++] = spans[i];
        else {
          rejected++;
          first ??= `resourceSpans[${r}].scopeSpans[${s}].spans[${i}]${problem}`;
        }
      }
      spans.length = kept;
    }
  }
  if (rejected === 0) return undefined;
  const more = rejected > 1 ? ` (and ${rejected - 1} more span${rejected > 2 ? 's' : ''})` : '';
  return { rejectedSpans: rejected, errorMessage: `${format === 'json' ? 'OTLP/JSON' : 'OTLP/protobuf'}: ${first}${more}; the other spans were stored` };
}

/** What is wrong with one span, as a path suffix and reason, or undefined. */
function spanProblem(span: Span): string | undefined {
  if (span.traceId instanceof InvalidId) return `.traceId: ${span.traceId.reason}`;
  if (span.spanId instanceof InvalidId) return `.spanId: ${span.spanId.reason}`;
  if (span.parentSpanId instanceof InvalidId) return `.parentSpanId: ${span.parentSpanId.reason}`;
  if (span.traceId.length !== TRACE_ID_BYTES) return lengthProblem('.traceId', span.traceId, TRACE_ID_BYTES);
  if (span.traceId.every((b) => b === 0)) return '.traceId: all zero (not a valid trace id)';
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
    if (link.traceId instanceof InvalidId) return `.links[${l}].traceId: ${link.traceId.reason}`;
    if (link.spanId instanceof InvalidId) return `.links[${l}].spanId: ${link.spanId.reason}`;
    if (link.traceId.length !== TRACE_ID_BYTES) return lengthProblem(`.links[${l}].traceId`, link.traceId, TRACE_ID_BYTES);
    if (link.spanId.length !== SPAN_ID_BYTES) return lengthProblem(`.links[${l}].spanId`, link.spanId, SPAN_ID_BYTES);
  }
  return undefined;
}

function lengthProblem(path: string, id: Uint8Array, bytes: number): string {
  return `${path}: expected ${bytes} bytes, got ${id.length}`;
}
