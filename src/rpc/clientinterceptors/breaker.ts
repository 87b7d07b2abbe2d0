import * as grpc from '@grpc/grpc-js';
import { context, trace } from '@opentelemetry/api';
import { isAcceptable } from '../breaker/acceptable.ts';
import type { Breakers } from '../breaker/breakers.ts';

/** Event added to the CLIENT span of a call the breaker refused. */
export const EVENT_BREAKER_REJECTED = 'breaker.rejected';
/** Attribute (on that event and on the span) naming the breaker that refused the call. */
export const ATTR_BREAKER_NAME = 'zeroscope.breaker.name';
/** Attribute of the event: the drop ratio at the time. */
export const ATTR_BREAKER_DROP_RATIO = 'zeroscope.breaker.drop_ratio';

/**
 * grpc-js client interceptor guarding each call with the breaker `<target>/<package.Service/Method>`
 * (go-zero's client BreakerInterceptor). A refused call never reaches the wire: it ends at once
 * with UNAVAILABLE "circuit breaker is open", and the CLIENT span (the tracing interceptor runs
 * outside this one) gets an event and attribute naming the breaker. A let-through call counts
 * as a failure when its status says the server is unhealthy (see `isAcceptable`).
 */
export function breakerClientInterceptor(breakers: Breakers, target: string): grpc.Interceptor {
  return function breakerClientInterceptor(options, nextCall) {
    const name = `${target}${options.method_definition.path}`;
    const breaker = breakers.get(name);
    const ratio = breaker.dropRatio();
    const promise = breaker.allow();
    if (promise === undefined) {
      // The tracing interceptor builds the rest of the chain inside its span's context.
      const span = trace.getSpan(context.active());
      span?.setAttribute(ATTR_BREAKER_NAME, name);
      span?.addEvent(EVENT_BREAKER_REJECTED, { [ATTR_BREAKER_NAME]: name, [ATTR_BREAKER_DROP_RATIO]: ratio });
      return new grpc.InterceptingCall(rejectedCall(`circuit breaker is open: ${name}`));
    }
    return new grpc.InterceptingCall(nextCall(options), {
      start(metadata, _listener, next) {
        next(metadata, {
          onReceiveStatus(status, nextStatus) {
            if (isAcceptable(status.code)) promise.accept();
            else promise.reject();
            nextStatus(status);
          },
        });
      },
    });
  };
}

type CallInterface = ConstructorParameters<typeof grpc.InterceptingCall>[0];

/**
 * A call that never reaches a channel and ends with UNAVAILABLE as soon as it starts. Made by
 * hand rather than with `nextCall()`, which would create (and leave unstarted) a real call.
 */
function rejectedCall(details: string): CallInterface {
  return {
    start(_metadata, listener) {
      // Asynchronously, as a real status would arrive: callers set up after start() returns.
      process.nextTick(() => {
        listener?.onReceiveMetadata?.(new grpc.Metadata());
        listener?.onReceiveStatus?.({ code: grpc.status.UNAVAILABLE, details, metadata: new grpc.Metadata() });
      });
    },
    cancelWithStatus() {},
    getPeer: () => '',
    sendMessageWithContext(messageContext) {
      messageContext.callback?.();
    },
    sendMessage() {},
    startRead() {},
    halfClose() {},
    getAuthContext: () => null,
  };
}
