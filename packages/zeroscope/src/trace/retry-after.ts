import type { Agent, IncomingMessage } from 'node:http';
import { watchAgentResponses } from './http-agent-hook.ts';
import type { TlsFiles } from './tls.ts';

/** The longest pause a `Retry-After` may impose: a wrong or hostile value must not blind a service for hours. */
export const MAX_RETRY_AFTER_MS = 60_000;

/**
 * Remembers until when the endpoint asked us to stay away. The official OTLP exporter honours
 * `Retry-After` only while retrying ONE batch, and gives up when the pause exceeds that batch's
 * timeout; the next batch would then knock again at once. The export guard reads this gate so
 * no batch is sent before the pause is over.
 */
export class BackoffGate {
  private until = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /** Holds exports for `ms` (capped at {@link MAX_RETRY_AFTER_MS}); never shortens a longer hold. */
  hold(ms: number): void {
    if (!(ms > 0)) return;
    this.until = Math.max(this.until, this.now() + Math.min(ms, MAX_RETRY_AFTER_MS));
  }

  /** Milliseconds left before exports may go out again (0 = go). */
  remaining(): number {
    return Math.max(0, this.until - this.now());
  }
}

/** Milliseconds a `Retry-After` value asks for (delta-seconds or an HTTP date); undefined if absent or unreadable. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined || raw.trim() === '') return undefined;
  if (/^\s*\d+\s*$/.test(raw)) return Number(raw) * 1000;
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Answers after which an OTLP/HTTP client should wait and retry (OTLP spec: 429, 502, 503, 504). */
const RETRYABLE = new Set([429, 502, 503, 504]);

/**
 * An `httpAgentOptions` factory for the official OTLP/HTTP exporter: a keep-alive agent of the
 * right protocol that reads every response's status and `Retry-After` and feeds `gate`. The
 * exporter's own retry logic is untouched; only the pause across batches is added.
 */
export function retryAfterAgentFactory(gate: BackoffGate, tls: TlsFiles = {}): (protocol: string) => Promise<Agent> {
  return async (protocol) => {
    // Loaded lazily, as the exporter's docs ask, so an http instrumentation can patch first.
    const { Agent: AgentClass } = protocol === 'https:' ? await import('node:https') : await import('node:http');
    // The TLS files (a CA of its own, a client certificate) only mean something to https.
    const agent = new AgentClass({ keepAlive: true, ...(protocol === 'https:' ? tls : {}) });
    watchAgentResponses(agent, (res: IncomingMessage) => {
      if (res.statusCode !== undefined && RETRYABLE.has(res.statusCode)) {
        const ms = parseRetryAfter(res.headers['retry-after']);
        if (ms !== undefined) gate.hold(ms);
      }
    });
    return agent;
  };
}
