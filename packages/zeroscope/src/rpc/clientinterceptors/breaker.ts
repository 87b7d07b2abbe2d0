import * as grpc from '@grpc/grpc-js';
import { trace } from '@opentelemetry/api';
import { isAcceptable } from '../breaker/acceptable.ts';
import type { Breakers } from '../breaker/breakers.ts';
import { type ClientInterceptor, clientInterceptor } from '../internal/client-call.ts';

/** Event added to the CLIENT span of a call the breaker refused. */
export const EVENT_BREAKER_REJECTED = 'breaker.rejected';
/** Attribute (on that event and on the span) naming the breaker that refused the call. */
export const ATTR_BREAKER_NAME = 'zeroscope.breaker.name';
/** Attribute of the event: the drop ratio at the time. */
export const ATTR_BREAKER_DROP_RATIO = 'zeroscope.breaker.drop_ratio';

/**
 * Guards each call with the breaker `<target>/<package.Service/Method>` (go-zero's client
 * BreakerInterceptor). A refused call never reaches the wire: it ends at once with UNAVAILABLE
 * "circuit breaker is open", and the CLIENT span (Trace runs before this middleware) gets an
 * event and attribute naming the breaker. A let-through call counts as a failure when its status
 * says the server is unhealthy (see `isAcceptable`).
 */
export function breakerClientInterceptor(breakers: Breakers, target: string): ClientInterceptor {
  return clientInterceptor({
    begin(call) {
      const name = `${target}${call.path}`;
      const breaker = breakers.get(name);
      const ratio = breaker.dropRatio();
      const promise = breaker.allow();
      if (promise === undefined) {
        const span = trace.getSpan(call.context);
        span?.setAttribute(ATTR_BREAKER_NAME, name);
        span?.addEvent(EVENT_BREAKER_REJECTED, { [ATTR_BREAKER_NAME]: name, [ATTR_BREAKER_DROP_RATIO]: ratio });
        return { refused: { code: grpc.status.UNAVAILABLE, details: `circuit breaker is open: ${name}` } };
      }
      return {
        ended(status) {
          if (isAcceptable(status.code)) promise.accept();
          else promise.reject();
        },
      };
    },
  });
}
