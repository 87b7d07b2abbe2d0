import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ExportHealth } from './export-health.ts';
import type { ExportStats } from './export-stats.ts';
import type { ReadableSpan, SpanExporter } from './exporters/types.ts';
import type { BackoffGate } from './retry-after.ts';

/** Options of {@link guardExporter}. */
export interface GuardOptions {
  /** Outage logging: one warning when exports start failing, one line when they work again. */
  health: ExportHealth;
  /** Counters the agent reports (`exported`, `failed`, `failedExports`; `queued` goes down here). */
  stats: ExportStats;
  /** An export that has not answered after this long counts as failed (its late answer is ignored). */
  timeoutMs: number;
  /** Exports still running (late ones included) beyond which new batches fail at once. */
  maxInFlight: number;
  /** The endpoint's `Retry-After`, when the exporter can see it: batches fail fast until it passes. */
  gate?: BackoffGate;
}

/** Errors the guard already reported, so the SDK's global error handler does not count them twice. */
const reported = new WeakSet<object>();

/** True when `error` is one the export guard has already accounted for. */
export function isReportedExportError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && reported.has(error);
}

/**
 * Wraps an exporter so that exporting can never hurt the service: every export answers within
 * `timeoutMs` (an exporter without a timeout of its own — Zipkin's — cannot hold the batch
 * processor), hung exports are capped at `maxInFlight` (each holds a socket), batches are not sent
 * while the endpoint's `Retry-After` runs, nothing thrown escapes, and every result feeds the
 * outage log and the counters.
 */
export function guardExporter(exporter: SpanExporter, options: GuardOptions): SpanExporter {
  const { health, stats, timeoutMs, maxInFlight, gate } = options;
  let inFlight = 0;
  let started = 0;

  const fail = (spans: number, error: Error, seq: number, callback: (r: ExportResult) => void) => {
    stats.failed += spans;
    stats.failedExports++;
    reported.add(error);
    health.failed(error, spans, seq);
    callback({ code: ExportResultCode.FAILED, error });
  };

  return {
    export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
      stats.queued = Math.max(0, stats.queued - spans.length);
      const seq = ++started;
      const wait = gate?.remaining() ?? 0;
      if (wait > 0) {
        fail(spans.length, new Error(`endpoint asked to retry after ${Math.ceil(wait / 1000)} s (Retry-After); batch not sent`), seq, resultCallback);
        return;
      }
      if (inFlight >= maxInFlight) {
        fail(spans.length, new Error(`${inFlight} exports still unanswered; batch not sent`), seq, resultCallback);
        return;
      }
      inFlight++;
      let settled = false;
      let answered = false;
      const timer = setTimeout(() => {
        if (settled) return;
        settled = true;
        fail(spans.length, new Error(`export timed out after ${timeoutMs} ms`), seq, resultCallback);
      }, timeoutMs);
      timer.unref();
      const done = (result: ExportResult): void => {
        if (answered) return; // an exporter calling back twice must not skew the count
        answered = true;
        inFlight--;
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (result.code === ExportResultCode.SUCCESS) {
          stats.exported += spans.length;
          health.succeeded(seq);
          resultCallback(result);
        } else {
          fail(spans.length, result.error ?? new Error('export failed'), seq, resultCallback);
        }
      };
      try {
        exporter.export(spans, done);
      } catch (error) {
        // An exporter that throws synchronously must not take the app down either.
        done({ code: ExportResultCode.FAILED, error: error instanceof Error ? error : new Error(String(error)) });
      }
    },
    shutdown: () => exporter.shutdown(),
    forceFlush: () => exporter.forceFlush?.() ?? Promise.resolve(),
  };
}
