import {
  context as contextApi,
  INVALID_SPAN_CONTEXT,
  SpanKind,
  trace,
  TraceFlags,
  type Attributes,
  type Context,
  type Link,
  type Span,
  type SpanOptions,
  type TraceState,
  type Tracer,
} from '@opentelemetry/api';
import { isTracingSuppressed } from '@opentelemetry/core';
import { preciseNow } from '../clock.ts';
import type { ReadableSpan } from '../exporters/types.ts';
import { LeanSpan, timeInputToHr, type ResolvedSpanLimits, type SpanSink } from './span.ts';

/** The sampler shape the tracer asks (the SDK's Sampler; the agent passes the SDK's samplers). */
export interface SamplerLike {
  shouldSample(context: Context, traceId: string, spanName: string, spanKind: SpanKind, attributes: Attributes, links: Link[]): {
    decision: number;
    attributes?: Readonly<Attributes>;
    traceState?: TraceState;
  };
}

/** The SDK's SamplingDecision values (NOT_RECORD = 0, RECORD = 1): spelled here so this folder needs no SDK import. */
const NOT_RECORD = 0;
const RECORD_AND_SAMPLED = 2;

/** What a {@link LeanTracer} shares with the SDK provider beside it: the same objects, so decisions match. */
export interface LeanTracerConfig {
  resource: ReadableSpan['resource'];
  scope: ReadableSpan['instrumentationScope'];
  sampler: SamplerLike;
  idGenerator: { generateTraceId(): string; generateSpanId(): string };
  limits: ResolvedSpanLimits;
  sink: SpanSink;
}

const NO_LINKS = Object.freeze([]) as unknown as Link[];
const NO_ATTRIBUTES: Attributes = Object.freeze({});

/** Marks a tracer whose spans already take every time from the precise clock (tracer.ts does not wrap it again). */
export const PRECISE_TIMES = Symbol.for('zeroscope.trace.preciseTimes');

/**
 * The tracer of zeroscope's own spans under `Telemetry.Pipeline: fast`: the decisions of the SDK's
 * Tracer.startSpan (suppressed tracing, root option, parent from the context, ids, the provider's
 * sampler, trace state) with spans that are {@link LeanSpan}s. The SDK's self-observability span
 * counters (`otel.sdk.span.*`, on no meter unless one is configured) are not kept.
 */
export class LeanTracer implements Tracer {
  readonly [PRECISE_TIMES] = true;

  constructor(private readonly config: LeanTracerConfig) {}

  startSpan(name: string, options: SpanOptions = {}, ctx: Context = contextApi.active()): Span {
    if (options.root) ctx = trace.deleteSpan(ctx);
    const parentSpan = trace.getSpan(ctx);
    if (isTracingSuppressed(ctx)) return trace.wrapSpanContext(INVALID_SPAN_CONTEXT);
    const { config } = this;
    const parent = parentSpan?.spanContext();
    // The span id first, then (for a root) the trace id: the SDK's order, so a seeded generator gives the same ids.
    const spanId = config.idGenerator.generateSpanId();
    let traceId: string;
    let traceState: TraceState | undefined;
    let validParent: typeof parent;
    if (parent === undefined || !trace.isSpanContextValid(parent)) {
      traceId = config.idGenerator.generateTraceId();
    } else {
      traceId = parent.traceId;
      traceState = parent.traceState;
      validParent = parent;
    }
    const kind = options.kind ?? SpanKind.INTERNAL;
    // Shared, frozen empties for what the caller left out: the sampler only reads them.
    const links = options.links ?? NO_LINKS;
    const attributes = options.attributes ?? NO_ATTRIBUTES;
    const sampling = config.sampler.shouldSample(ctx, traceId, name, kind, attributes, links);
    traceState = sampling.traceState ?? traceState;
    const traceFlags = sampling.decision === RECORD_AND_SAMPLED ? TraceFlags.SAMPLED : TraceFlags.NONE;
    const spanContext = { traceId, spanId, traceFlags, traceState };
    if (sampling.decision === NOT_RECORD) return trace.wrapSpanContext(spanContext);
    const span = new LeanSpan(
      {
        spanContext,
        parentSpanContext: validParent,
        name,
        kind,
        links,
        startTime: options.startTime === undefined ? preciseNow() : timeInputToHr(options.startTime),
        resource: config.resource,
        scope: config.scope,
        limits: config.limits,
      },
      config.sink,
      options.attributes,
      ctx,
    );
    if (sampling.attributes !== undefined) span.setAttributes(sampling.attributes);
    return span;
  }

  startActiveSpan<F extends (span: Span) => unknown>(name: string, fn: F): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(name: string, options: SpanOptions, fn: F): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(name: string, options: SpanOptions, ctx: Context, fn: F): ReturnType<F>;
  startActiveSpan(name: string, ...args: unknown[]): unknown {
    const fn = args.at(-1) as (span: Span) => unknown;
    const options = (args.length >= 2 ? args[0] : undefined) as SpanOptions | undefined;
    const parent = ((args.length >= 3 ? args[1] : undefined) as Context | undefined) ?? contextApi.active();
    const span = this.startSpan(name, options, parent);
    return contextApi.with(trace.setSpan(parent, span), fn, undefined, span);
  }
}
