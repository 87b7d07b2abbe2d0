import type { BodyBudget } from './body-budget.ts';
/** The contracts of the receivers: what they need from the store, and what they give the app. */
import type { ExportTraceServiceRequest } from '../otlp/index.ts';

/**
 * Where receivers hand decoded spans. Declared here (the consumer) and implemented by the store.
 * `push` resolves once the spans are durable; only then does the client get a success answer.
 * It may reject with an error carrying `httpStatus` / `grpcCode` / `retryAfterSeconds` (see
 * PushFailure), e.g. 503 and a retry delay when overloaded.
 */
export interface TracesPusher {
  push(request: ExportTraceServiceRequest): Promise<void>;
}

/**
 * The fields receivers read from a pusher's rejection, duck-typed so a store can throw its own
 * error classes. Anything else is an internal error (HTTP 500, gRPC INTERNAL).
 */
export interface PushFailure {
  message: string;
  /** 400 (bad data), 429 or 503 (overload, retryable), 507... */
  httpStatus?: number;
  /** A gRPC status code; derived from httpStatus when absent. */
  grpcCode?: number;
  /** Sent as Retry-After (HTTP) and RetryInfo (gRPC); 429/503 default to 1 second. */
  retryAfterSeconds?: number;
}

/** Size limits of a receiver. */
export interface ReceiverLimits {
  /** Largest accepted body or message in bytes, counted after decompression. Default 20 MiB. */
  maxBodyBytes?: number;
  /** Most pieces (read events) an HTTP body may arrive in; default 65,536. */
  maxBodyChunks?: number;
  /** Slowest average rate an HTTP body may arrive at once the grace period is over; default 1 KiB/s. */
  minBodyBytesPerSecond?: number;
  /** How long an HTTP body may take before the rate applies; default 5 s. */
  bodyGraceMs?: number;
  /** OTLP/gRPC calls admitted at once, from their metadata to their status; default 64 (grpc-admission.ts). */
  maxGrpcCalls?: number;
}

/** The bounds of an HTTP body (ReceiverLimits without the gRPC one), every one set. */
export type BodyLimits = Required<Omit<ReceiverLimits, 'maxGrpcCalls'>>;

/** What every receiver factory takes. */
export interface ReceiverOptions {
  /** Interface to bind; default 127.0.0.1. */
  host?: string;
  /** Port to bind; 0 picks a free one (see Receiver.start's result). */
  port: number;
  pusher: TracesPusher;
  limits?: ReceiverLimits;
  /** What the bodies of all receivers may hold at once; share one between the receivers (body-budget.ts). */
  bodyBudget?: BodyBudget;
  /**
   * When set, requests must carry `Authorization: Bearer <token>` or `x-zeroscope-token: <token>`
   * (gRPC: the same metadata keys); others get 401 / UNAUTHENTICATED.
   */
  authToken?: string;
  /**
   * Extra `Host` names answered while bound to loopback, or `true` for any (HTTP receivers;
   * see guard/host-check.ts). Browsers cannot speak gRPC, so OTLP/gRPC needs no such check.
   */
  allowedHosts?: readonly string[] | true;
  /** Told about unexpected failures (pusher errors without a status); default: ignored. */
  onError?: (error: unknown) => void;
}

/** A started-on-demand network receiver. */
export interface Receiver {
  /** 'otlp-http', 'otlp-grpc' or 'zipkin'. */
  readonly name: string;
  /** Binds and resolves with the bound address (the real port when asked for 0). */
  start(): Promise<{ host: string; port: number }>;
  /** Stops accepting and closes connections; in-flight requests get a short grace. Idempotent. */
  stop(): Promise<void>;
}

/** Default ReceiverLimits.maxBodyBytes: 20 MiB. */
export const DEFAULT_MAX_BODY_BYTES = 20 * 1024 * 1024;

/**
 * The default bounds of an HTTP body. 65,536 pieces is 20 MiB in 320-byte pieces, far below
 * what TCP reads or any exporter's chunking produce; 1 KiB/s after 5 s still takes a 20 MiB body
 * over the slowest link an exporter would sit on, and lets no connection idle for ever.
 */
export const DEFAULT_BODY_LIMITS: BodyLimits = {
  maxBodyBytes: DEFAULT_MAX_BODY_BYTES,
  maxBodyChunks: 65_536,
  minBodyBytesPerSecond: 1024,
  bodyGraceMs: 5000,
};
