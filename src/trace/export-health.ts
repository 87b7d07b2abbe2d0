import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from './exporters/types.ts';

/** Where the agent's few log lines go; replaceable in tests. */
export type AgentLog = (level: 'warn' | 'info', message: string) => void;

/** Default log: one line on stderr, prefixed so it is easy to find among service logs. */
export const consoleLog: AgentLog = (level, message) => {
  (level === 'warn' ? console.warn : console.info)(`[zeroscope/trace] ${message}`);
};

/**
 * Tracks whether exporting works and logs ONE warning when an outage starts and one line when it
 * ends, however many batches fail in between, so a dead collector cannot flood the service's logs.
 */
export class ExportHealth {
  private down = false;
  private dropped = 0;

  constructor(
    private readonly target: string,
    private readonly log: AgentLog = consoleLog,
  ) {}

  /** True while exports are failing. */
  get failing(): boolean {
    return this.down;
  }

  /** Records a failed export (or any error the SDK reports) of `spans` spans. */
  failed(error: unknown, spans = 0): void {
    this.dropped += spans;
    if (this.down) return;
    this.down = true;
    const reason = error instanceof Error ? error.message : String(error);
    this.log('warn', `exporting spans to ${this.target} failed: ${reason || 'unknown error'}; spans are dropped until it recovers (no further warnings meanwhile)`);
  }

  /** Records a successful export; ends an outage. */
  succeeded(): void {
    if (!this.down) return;
    this.down = false;
    this.log('info', `exporting spans to ${this.target} works again (${this.dropped} spans dropped meanwhile)`);
    this.dropped = 0;
  }
}

/** Wraps an exporter so every result feeds `health`; the result still reaches the processor. */
export function watchExporter(exporter: SpanExporter, health: ExportHealth): SpanExporter {
  return {
    export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
      try {
        exporter.export(spans, (result) => {
          if (result.code === ExportResultCode.SUCCESS) health.succeeded();
          else health.failed(result.error ?? new Error('export failed'), spans.length);
          resultCallback(result);
        });
      } catch (error) {
        // An exporter that throws synchronously must not take the app down either.
        health.failed(error, spans.length);
        resultCallback({ code: ExportResultCode.FAILED, error: error as Error });
      }
    },
    shutdown: () => exporter.shutdown(),
    forceFlush: () => exporter.forceFlush?.() ?? Promise.resolve(),
  };
}
