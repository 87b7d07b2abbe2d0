import * as grpc from '@grpc/grpc-js';
import { type Attributes, type Context, propagation, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { ServerAddress } from '../internal/address.ts';
import { type CallStatus, type ClientCall, type ClientCallWatch, type ClientInterceptor, clientInterceptor } from '../internal/client-call.ts';
import { metadataSetter } from '../internal/metadata-carrier.ts';
import { messageEventAttributes } from '../internal/message-event.ts';
import { methodInfo } from '../internal/method-info.ts';
import {
  ATTR_RPC_GRPC_STATUS_CODE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  EVENT_MESSAGE,
  MESSAGE_TYPE_VALUE_RECEIVED,
  MESSAGE_TYPE_VALUE_SENT,
  tracer,
} from '../../trace/index.ts';

/** The event on the CLIENT span of a retried call's second attempt (zeroscope's name: no convention covers it). */
export const EVENT_RPC_RETRY = 'zeroscope.rpc.retry';
/** Attempts made before this one, on the span of a retry (gRPC's tracing calls it previous-rpc-attempts). */
export const ATTR_RPC_PREVIOUS_ATTEMPTS = 'zeroscope.rpc.previous_attempts';
/** The `host:port` the failed attempt went to, on the retry event. */
export const ATTR_RPC_RETRY_PREVIOUS_SERVER = 'zeroscope.rpc.retry.previous_server';
/** The failed attempt's status message, on the retry event. */
export const ATTR_RPC_RETRY_REASON = 'zeroscope.rpc.retry.reason';

/**
 * One CLIENT span per call (go-zero's client UnaryTracingInterceptor/StreamTracingInterceptor):
 * named `package.Service/Method`, child of the caller's active span, its context injected into
 * the request metadata with the global propagator, `server.address`/`server.port` of `server`
 * (the endpoint this channel dials), a `message` event per message each way, and the final
 * status as `rpc.grpc.status_code` (Error status with the gRPC message on anything but OK).
 * Middlewares after it see the span's context in `call.context` (the breaker annotates it). The
 * second attempt of a retried call gets its own CLIENT span, a sibling of the failed one, with
 * `zeroscope.rpc.previous_attempts` and a `zeroscope.rpc.retry` event naming the failed attempt.
 * Works as a grpc-js interceptor on a client built with grpc-js directly; `createClient` runs its
 * hook itself.
 */
export function tracingClientInterceptor(server?: ServerAddress): ClientInterceptor {
  // Start attributes per method, built once: the SDK copies them into each span.
  const startAttributes = new Map<string, Attributes>();
  const attributesOf = (path: string): Attributes => {
    let attributes = startAttributes.get(path);
    if (attributes === undefined) {
      attributes = { ...methodInfo(path).attributes };
      if (server !== undefined) {
        attributes[ATTR_SERVER_ADDRESS] = server.host;
        if (server.port !== undefined) attributes[ATTR_SERVER_PORT] = server.port;
      }
      startAttributes.set(path, Object.freeze(attributes));
    }
    return attributes;
  };
  return clientInterceptor({
    begin(call: ClientCall): ClientCallWatch {
      const span = tracer().startSpan(methodInfo(call.path).name, { kind: SpanKind.CLIENT, attributes: attributesOf(call.path) }, call.context);
      call.context = trace.setSpan(call.context, span);
      if (call.retry !== undefined) {
        span.setAttribute(ATTR_RPC_PREVIOUS_ATTEMPTS, call.retry.previousAttempts);
        span.addEvent(EVENT_RPC_RETRY, {
          [ATTR_RPC_RETRY_PREVIOUS_SERVER]: call.retry.previousServer,
          [ATTR_RPC_GRPC_STATUS_CODE]: call.retry.status.code,
          [ATTR_RPC_RETRY_REASON]: call.retry.status.details,
        });
      }
      return new ClientSpanWatch(span, call.context);
    },
  });
}

/** The CLIENT span of one call, followed to its end (a class: no closures made per call). */
class ClientSpanWatch implements ClientCallWatch {
  private sentCount = 0;
  private receivedCount = 0;

  constructor(
    private readonly span: Span,
    private readonly spanContext: Context,
  ) {}

  sending(metadata: grpc.Metadata): void {
    propagation.inject(this.spanContext, metadata, metadataSetter);
  }

  sent(): void {
    this.span.addEvent(EVENT_MESSAGE, messageEventAttributes(MESSAGE_TYPE_VALUE_SENT, ++this.sentCount));
  }

  received(): void {
    this.span.addEvent(EVENT_MESSAGE, messageEventAttributes(MESSAGE_TYPE_VALUE_RECEIVED, ++this.receivedCount));
  }

  ended(status: CallStatus): void {
    this.span.setAttribute(ATTR_RPC_GRPC_STATUS_CODE, status.code);
    if (status.code !== grpc.status.OK) this.span.setStatus({ code: SpanStatusCode.ERROR, message: status.details });
    this.span.end();
  }
}
