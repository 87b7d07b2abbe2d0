import { TraceFlags, type Context } from '@opentelemetry/api';
import type { ExportStats } from './export-stats.ts';
import type { ReadableSpan } from './exporters/types.ts';

/** The span-processor shape this module drives (the SDK's SpanProcessor, without importing the SDK). */
export interface SpanProcessorLike {
  onStart(span: never, parentContext: Context): void;
  onEnd(span: ReadableSpan): void;
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

/**
 * Sits in front of the SDK's BatchSpanProcessor and enforces its queue limit itself, so every span
 * past the limit is COUNTED as dropped (the SDK drops silently). `stats.queued` goes up here and
 * down when the export guard hands a batch to the exporter, so it is exactly what the batch
 * processor holds; the processor behind is built with the same limit and never drops on its own.
 */
export class CountingSpanQueue implements SpanProcessorLike {
  private stopped = false;

  constructor(
    private readonly inner: SpanProcessorLike,
    private readonly maxQueueSize: number,
    private readonly stats: ExportStats,
  ) {}

  onStart(span: never, parentContext: Context): void {
    this.inner.onStart(span, parentContext);
  }

  onEnd(span: ReadableSpan): void {
    if ((span.spanContext().traceFlags & TraceFlags.SAMPLED) === 0) return;
    if (this.stopped || this.stats.queued >= this.maxQueueSize) {
      this.stats.dropped++;
      return;
    }
    this.stats.queued++;
    this.inner.onEnd(span);
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush();
  }

  shutdown(): Promise<void> {
    this.stopped = true;
    return this.inner.shutdown();
  }
}
