import { appendFile, mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type * as Transformer from '@opentelemetry/otlp-transformer';
import { loadOnUse } from '../../internal/load-on-use.ts';
import type { ExporterFactory, ReadableSpan, SpanExporter } from './types.ts';

/**
 * Appends each batch as one OTLP/JSON `ExportTraceServiceRequest` per line (JSON Lines), the shape
 * the backend imports. Writes are chained so lines never interleave within a process, and each line
 * is a single O_APPEND write so several processes may share one file.
 */
export class FileSpanExporter implements SpanExporter {
  readonly path: string;
  private pending: Promise<void> = Promise.resolve();
  private madeDir = false;
  private stopped = false;

  constructor(path: string) {
    this.path = resolve(path);
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    if (this.stopped) {
      resultCallback({ code: ExportResultCode.FAILED, error: new Error('file exporter is shut down') });
      return;
    }
    const { JsonTraceSerializer } = loadOnUse('@opentelemetry/otlp-transformer') as typeof Transformer;
    const body = JsonTraceSerializer.serializeRequest(spans);
    if (!body) {
      resultCallback({ code: ExportResultCode.FAILED, error: new Error('could not serialize spans') });
      return;
    }
    const line = Buffer.concat([Buffer.from(body), Buffer.from('\n')]);
    this.pending = this.pending.then(async () => {
      try {
        if (!this.madeDir) {
          await mkdir(dirname(this.path), { recursive: true });
          this.madeDir = true;
        }
        await appendFile(this.path, line);
        resultCallback({ code: ExportResultCode.SUCCESS });
      } catch (error) {
        resultCallback({ code: ExportResultCode.FAILED, error: error as Error });
      }
    });
  }

  forceFlush(): Promise<void> {
    return this.pending;
  }

  async shutdown(): Promise<void> {
    this.stopped = true;
    await this.pending;
  }
}

/** `Batcher: file` — `Endpoint` is a file path (relative to the working directory). */
export const fileExporter: ExporterFactory = (conf) => {
  const exporter = new FileSpanExporter(conf.Endpoint);
  return { exporter, target: exporter.path };
};
