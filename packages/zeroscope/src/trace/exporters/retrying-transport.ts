import type { ExportResponse, IExporterTransport } from '@opentelemetry/otlp-exporter-base';
import type { BackoffGate } from '../retry-after.ts';

/** Back-off of the retries, the same schedule as the official OTLP/HTTP exporter's. */
export interface RetrySchedule {
  /** Retries after the first attempt. */
  maxRetries: number;
  initialBackoffMs: number;
  maxBackoffMs: number;
  multiplier: number;
  /** ± this share of each back-off, at random. */
  jitter: number;
}

export const DEFAULT_RETRY_SCHEDULE: RetrySchedule = { maxRetries: 5, initialBackoffMs: 1000, maxBackoffMs: 5000, multiplier: 1.5, jitter: 0.2 };

/**
 * Sends again what `transport` answers `retryable`, within the export's own timeout: after the
 * server's delay when it gave one, else after an exponential back-off with jitter; a retry that
 * could not start before the timeout is not attempted. A server's delay also holds `gate`, so the
 * batches behind this one wait it out too (export-guard.ts). The official exporter-base has this
 * loop for OTLP/HTTP but does not export it; the gRPC transport is given it here.
 */
export function retryingTransport(transport: IExporterTransport, options: { gate?: BackoffGate; schedule?: RetrySchedule } = {}): IExporterTransport {
  const schedule = options.schedule ?? DEFAULT_RETRY_SCHEDULE;
  return {
    async send(data: Uint8Array, timeoutMillis: number): Promise<ExportResponse> {
      const deadline = Date.now() + timeoutMillis;
      let backoff = schedule.initialBackoffMs;
      let result = await transport.send(data, timeoutMillis);
      for (let retry = 0; result.status === 'retryable' && retry < schedule.maxRetries; retry++) {
        if (result.retryInMillis !== undefined) options.gate?.hold(result.retryInMillis);
        const jittered = Math.min(backoff * (1 + (Math.random() * 2 - 1) * schedule.jitter), schedule.maxBackoffMs);
        const wait = result.retryInMillis ?? jittered;
        backoff *= schedule.multiplier;
        if (wait >= deadline - Date.now()) break;
        await new Promise((resolve) => setTimeout(resolve, wait));
        result = await transport.send(data, deadline - Date.now());
      }
      return result;
    },
    shutdown(): void {
      transport.shutdown();
    },
  };
}
