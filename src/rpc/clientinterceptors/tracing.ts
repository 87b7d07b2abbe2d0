import * as grpc from '@grpc/grpc-js';
import { type Attributes, context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { ServerAddress } from '../internal/address.ts';
import { metadataSetter } from '../internal/metadata-carrier.ts';
import { methodInfo } from '../internal/method-info.ts';
import {
  ATTR_MESSAGE_ID,
  ATTR_MESSAGE_TYPE,
  ATTR_RPC_GRPC_STATUS_CODE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  EVENT_MESSAGE,
  MESSAGE_TYPE_VALUE_RECEIVED,
  MESSAGE_TYPE_VALUE_SENT,
  tracer,
} from '../../trace/index.ts';

/**
 * grpc-js client interceptor that makes one CLIENT span per call (go-zero's client
 * UnaryTracingInterceptor/StreamTracingInterceptor): named `package.Service/Method`, child of
 * the caller's active span, its context injected into the request metadata with the global
 * propagator, `server.address`/`server.port` of `server` (the endpoint this channel dials), a
 * `message` event per message each way, and the final status as `rpc.grpc.status_code`
 * (Error status with the gRPC message on anything but OK).
 */
export function tracingClientInterceptor(server?: ServerAddress): grpc.Interceptor {
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
  return function tracingClientInterceptor(options, nextCall) {
    const path = options.method_definition.path;
    const info = methodInfo(path);
    const attributes = attributesOf(path);
    // grpc-js builds the interceptor chain synchronously inside the caller's call, so the
    // active context here is the caller's.
    const parent = context.active();
    const span = tracer().startSpan(info.name, { kind: SpanKind.CLIENT, attributes }, parent);
    const ctx = trace.setSpan(parent, span);
    let sent = 0;
    let received = 0;

    // The inner interceptors are built inside the span's context, so one that ends a call itself
    // (the breaker) can annotate this span.
    const inner = context.with(ctx, nextCall, undefined, options);
    return new grpc.InterceptingCall(inner, {
      start(metadata, _listener, next) {
        propagation.inject(ctx, metadata, metadataSetter);
        next(metadata, {
          onReceiveMessage(message, nextMessage) {
            span.addEvent(EVENT_MESSAGE, { [ATTR_MESSAGE_TYPE]: MESSAGE_TYPE_VALUE_RECEIVED, [ATTR_MESSAGE_ID]: ++received });
            nextMessage(message);
          },
          onReceiveStatus(status, nextStatus) {
            span.setAttribute(ATTR_RPC_GRPC_STATUS_CODE, status.code);
            if (status.code !== grpc.status.OK) span.setStatus({ code: SpanStatusCode.ERROR, message: status.details });
            span.end();
            nextStatus(status);
          },
        });
      },
      sendMessage(message, next) {
        span.addEvent(EVENT_MESSAGE, { [ATTR_MESSAGE_TYPE]: MESSAGE_TYPE_VALUE_SENT, [ATTR_MESSAGE_ID]: ++sent });
        next(message);
      },
    });
  };
}
