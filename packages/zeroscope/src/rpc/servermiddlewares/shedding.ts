import { status } from '@grpc/grpc-js';
import { trace } from '@opentelemetry/api';
import { type Shedder, createShedder } from '../../load/index.ts';
import { recordLoadShed } from '../../trace/index.ts';
import { grpcStatusOf, RpcStatusError } from '../errors.ts';
import type { ServerMiddleware, StreamHandler, UnaryHandler } from '../internal/handler-types.ts';
import type { MethodInfo } from '../internal/method-info.ts';
import { isThenable } from '../internal/thenable.ts';

/** Codes that count against the server in the shedder's window (its own failures, not the caller's). */
const SERVER_FAULTS = new Set<number>([status.UNKNOWN, status.INTERNAL, status.UNAVAILABLE, status.DATA_LOSS, status.DEADLINE_EXCEEDED]);

/**
 * go-zero's UnarySheddingInterceptor/StreamSheddingInterceptor: asks the adaptive shedder before
 * the handler runs and answers UNAVAILABLE (transient: well-behaved clients back off and retry)
 * when the server is saturated, marking the call's span with `zeroscope.load_shed` and an event
 * giving the reason. One shedder per server, shared by every method. `shedder` overrides the
 * CPU-driven one (tests pass one on a fake CPU); `cpuThreshold` 0 turns shedding off.
 */
export function sheddingServerMiddleware(options: { cpuThreshold?: number; shedder?: Shedder } = {}): ServerMiddleware {
  const shedder = options.shedder ?? createShedder(options.cpuThreshold ?? 900);
  if (shedder === undefined) return {};
  const admit = (info: MethodInfo) => {
    const decision = shedder.allow();
    if (decision.admitted) return decision.admission;
    recordLoadShed(trace.getActiveSpan(), decision.reason);
    throw new RpcStatusError(status.UNAVAILABLE, `${info.name}: server is overloaded, call shed`);
  };
  const settle = (admission: { pass(): void; fail(): void }, err: unknown) => {
    const code = grpcStatusOf(err)?.code;
    if (code === undefined || SERVER_FAULTS.has(code)) admission.fail();
    else admission.pass();
  };
  return {
    unary: (next: UnaryHandler, info: MethodInfo): UnaryHandler => {
      // Plain, not async: a plain reply settles the admission at once, a promised one in one reaction.
      return function sheddingUnary(request, call) {
        const admission = admit(info);
        let reply: unknown;
        try {
          reply = next(request, call);
        } catch (err) {
          settle(admission, err);
          throw err;
        }
        if (!isThenable(reply)) {
          admission.pass();
          return reply;
        }
        return Promise.resolve(reply).then(
          (value) => {
            admission.pass();
            return value;
          },
          (err: unknown) => {
            settle(admission, err);
            throw err;
          },
        );
      };
    },
    stream: (next: StreamHandler, info: MethodInfo): StreamHandler =>
      async function* sheddingStream(request, call) {
        const admission = admit(info);
        let settled = false;
        try {
          yield* next(request, call);
          settled = true;
          admission.pass();
        } catch (err) {
          settled = true;
          settle(admission, err);
          throw err;
        } finally {
          // A stream the caller abandoned ends here without either: it must leave the in-flight count.
          if (!settled) admission.fail();
        }
      },
  };
}
