import * as grpc from '@grpc/grpc-js';
import {
  type Attributes,
  type Context,
  context,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { cancelCode } from '../internal/cancel-code.ts';
import { metadataGetter } from '../internal/metadata-carrier.ts';
import { messageEventAttributes } from '../internal/message-event.ts';
import { methodInfo } from '../internal/method-info.ts';
import {
  ATTR_CLIENT_ADDRESS,
  ATTR_CLIENT_PORT,
  ATTR_RPC_GRPC_STATUS_CODE,
  EVENT_MESSAGE,
  MESSAGE_TYPE_VALUE_RECEIVED,
  MESSAGE_TYPE_VALUE_SENT,
  tracer,
} from '../../trace/index.ts';

/**
 * Native grpc-js server interceptor that makes one SERVER span per call (go-zero's
 * UnaryTracingInterceptor/StreamTracingInterceptor): named `package.Service/Method`, parent
 * extracted from the request metadata with the global propagator (a malformed `traceparent`
 * just starts a fresh trace), a `message` event per message each way, and the final gRPC status
 * as `rpc.grpc.status_code` (Error status on anything but OK). The handler runs inside the
 * span's context, so `trace.getActiveSpan()` works there and the handler's spans nest under it.
 */
export function tracingServerInterceptor(): grpc.ServerInterceptor {
  return function tracingServerInterceptor(descriptor, call) {
    const info = methodInfo(descriptor.path);
    // The call's span state; ended through the module-level endSpan, not a closure made per call.
    const state: CallSpan = { span: undefined, ctx: ROOT_CONTEXT, sent: 0, received: 0 };

    return new grpc.ServerInterceptingCall(call, {
      start(next) {
        next({
          onReceiveMetadata(metadata, nextMetadata) {
            const parent = propagation.extract(ROOT_CONTEXT, metadata, metadataGetter);
            // Copied key by key, not spread: Node 20's V8 is slow to add keys to a spread copy.
            const attributes: Attributes = {};
            for (const key in info.attributes) attributes[key] = info.attributes[key];
            const peer = call.getConnectionInfo();
            if (peer.remoteAddress !== undefined) attributes[ATTR_CLIENT_ADDRESS] = peer.remoteAddress;
            if (peer.remotePort !== undefined) attributes[ATTR_CLIENT_PORT] = peer.remotePort;
            const span = tracer().startSpan(info.name, { kind: SpanKind.SERVER, attributes }, parent);
            state.span = span;
            state.ctx = trace.setSpan(parent, span);
            // grpc-js starts client-streaming and bidi handlers from here, synchronously.
            context.with(state.ctx, nextMetadata, undefined, metadata);
          },
          onReceiveMessage(message, nextMessage) {
            state.span?.addEvent(EVENT_MESSAGE, messageEventAttributes(MESSAGE_TYPE_VALUE_RECEIVED, ++state.received));
            context.with(state.ctx, nextMessage, undefined, message);
          },
          onReceiveHalfClose(nextHalfClose) {
            // grpc-js invokes the method handler from here, synchronously: it inherits ctx.
            context.with(state.ctx, nextHalfClose);
          },
          onCancel() {
            // Also fires after a normal status (then a no-op); grpc-js answers an expired
            // deadline itself, bypassing sendStatus, so tell that case apart here.
            if (state.span === undefined) return;
            if (cancelCode(call) === grpc.status.DEADLINE_EXCEEDED) endSpan(state, grpc.status.DEADLINE_EXCEEDED, 'Deadline exceeded');
            else endSpan(state, grpc.status.CANCELLED, 'Cancelled by the client');
          },
        });
      },
      sendMessage(message, next) {
        state.span?.addEvent(EVENT_MESSAGE, messageEventAttributes(MESSAGE_TYPE_VALUE_SENT, ++state.sent));
        next(message);
      },
      sendStatus(status, next) {
        endSpan(state, status.code ?? grpc.status.UNKNOWN, status.details);
        next(status);
      },
    });
  };
}

interface CallSpan {
  span: Span | undefined;
  ctx: Context;
  sent: number;
  received: number;
}

function endSpan(state: CallSpan, code: number, details: string | undefined): void {
  const span = state.span;
  if (span === undefined) return;
  state.span = undefined; // end exactly once: a cancel can follow a status
  span.setAttribute(ATTR_RPC_GRPC_STATUS_CODE, code);
  if (code !== grpc.status.OK) span.setStatus({ code: SpanStatusCode.ERROR, message: details });
  span.end();
}
