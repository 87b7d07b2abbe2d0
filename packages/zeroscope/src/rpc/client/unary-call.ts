import * as grpc from '@grpc/grpc-js';
import { type Context, context } from '@opentelemetry/api';
import { RpcError, RpcStatusError } from '../errors.ts';
import { beginCall, CallWatches, type ClientCall, type RetryAttempt } from '../internal/client-call.ts';
import type { CallOptions } from '../service.ts';
import type { EndpointFeed } from './endpoint-feed.ts';
import type { Router } from './router.ts';
import { toStatusError } from './status-error.ts';

type Method = grpc.MethodDefinition<unknown, unknown>;

/**
 * A unary method of the client: waits for the first endpoint list if it must, then sends the call
 * on the picked channel, its middlewares run around it directly (no grpc-js interceptor layers);
 * the promise is the call's only one. With `retryEnabled` (`Retry`), a call that failed UNAVAILABLE before the
 * server answered anything is sent once more on another READY instance, within the same deadline
 * (see {@link shouldRetry}).
 */
export function unaryCaller(router: Router, feed: EndpointFeed, def: Method, retryEnabled: boolean) {
  const sender = new UnarySender(router, def, retryEnabled);
  return function callUnary(request: unknown, callOptions?: CallOptions): Promise<unknown> {
    const waiting = feed.forCall(callOptions);
    // No closure per call unless the call has to wait for the first endpoint list.
    return waiting === undefined ? sender.send(request, callOptions) : waiting.then(() => sender.send(request, callOptions));
  };
}

/** What the second attempt of a retried call carries over from the first. */
interface PendingRetry {
  attempt: RetryAttempt;
  /** The caller's context, so both attempts' CLIENT spans are children of the caller's span. */
  callerContext: Context;
  /** The first attempt's deadline: a retry does not extend the caller's budget. */
  deadline: grpc.Deadline | undefined;
  /** What the caller gets if there is no other instance to retry on. */
  failure: RpcStatusError;
}

const OK_STATUS = { code: grpc.status.OK, details: 'OK' };

/** Sends the calls of one unary method (a class: no closures made per call). */
class UnarySender {
  constructor(
    private readonly router: Router,
    private readonly def: Method,
    private readonly retryEnabled: boolean,
  ) {}

  send(request: unknown, callOptions: CallOptions | undefined): Promise<unknown> {
    return new Promise((resolve, reject) => this.attempt(request, callOptions, undefined, resolve, reject));
  }

  private attempt(
    request: unknown,
    callOptions: CallOptions | undefined,
    retry: PendingRetry | undefined,
    resolve: (reply: unknown) => void,
    reject: (err: unknown) => void,
  ): void {
    const def = this.def;
    const routed = this.router.route(callOptions, retry?.attempt.previousServer);
    if (routed instanceof RpcError) {
      // No other instance to retry on: the caller gets the first attempt's failure.
      reject(retry?.failure ?? routed);
      return;
    }
    const callerContext = retry?.callerContext ?? context.active();
    const call: ClientCall = { path: def.path, deadline: retry?.deadline ?? routed.options.deadline, context: callerContext };
    if (retry) call.retry = retry.attempt;
    const watches = beginCall(routed.chain.middlewares, call);
    if (!(watches instanceof CallWatches)) {
      // Refused before the wire (the breaker): the balancer still hears the end of what it picked.
      routed.done(watches.refused.code);
      reject(new RpcStatusError(watches.refused.code, watches.refused.details));
      return;
    }
    watches.sending(routed.metadata);
    const done = routed.done;
    // Response headers or a message commit the call (gRPC's retry rule): it is not retried after.
    let answered = false;
    const unary = routed.client.makeUnaryRequest(
      def.path,
      def.requestSerialize,
      def.responseDeserialize,
      request,
      routed.metadata,
      call.deadline === undefined ? routed.options : { deadline: call.deadline },
      // grpc-js calls back exactly once, when the status arrives (just before its 'status'
      // event): tell the balancer and the middlewares here rather than through listeners.
      (err, reply) => {
        if (err) {
          done(err.code);
          watches.end(err);
          if (retry === undefined && shouldRetry(this.retryEnabled, err, answered, call.deadline)) {
            const attempt: RetryAttempt = { previousAttempts: 1, previousServer: routed.address, status: { code: err.code, details: err.details } };
            const next: PendingRetry = { attempt, callerContext, deadline: call.deadline, failure: toStatusError(err) };
            this.attempt(request, callOptions, next, resolve, reject);
            return;
          }
          reject(toStatusError(err));
        } else {
          done(grpc.status.OK);
          watches.received();
          watches.end(OK_STATUS);
          resolve(reply);
        }
      },
    );
    if (this.retryEnabled && retry === undefined) unary.once('metadata', () => (answered = true));
    watches.sent();
  }
}

/**
 * Whether a failed unary attempt may be sent again elsewhere: `Retry` is on, it failed UNAVAILABLE
 * (the connection broke or could not be used) before the server sent response headers or a
 * message, and its deadline has not passed. gRPC's retry policy draws the same line: a call is
 * committed once the server answered.
 */
export function shouldRetry(enabled: boolean, err: grpc.ServiceError, answered: boolean, deadline: grpc.Deadline | undefined): boolean {
  if (!enabled || answered || err.code !== grpc.status.UNAVAILABLE) return false;
  const at = deadline instanceof Date ? deadline.getTime() : deadline;
  return at === undefined || at > Date.now();
}
