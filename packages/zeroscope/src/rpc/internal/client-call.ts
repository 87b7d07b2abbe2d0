import * as grpc from '@grpc/grpc-js';
import { type Context, context } from '@opentelemetry/api';

/** One outgoing call as the client middlewares see it before it goes out. */
export interface ClientCall {
  /** `/package.Service/Method` */
  readonly path: string;
  /** When the call must end; a middleware may set one (Timeout). */
  deadline: grpc.Deadline | undefined;
  /** The context the rest of the call sees; Trace replaces it with its CLIENT span's. */
  context: Context;
  /** Set on the second attempt of a retried call (see `Retry` in the client config). */
  retry?: RetryAttempt;
}

/** Why this attempt is a retry: the attempt before it and how it failed. */
export interface RetryAttempt {
  /** Attempts made before this one (1). */
  previousAttempts: number;
  /** `host:port` the failed attempt went to. */
  previousServer: string;
  /** Its status (UNAVAILABLE). */
  status: CallStatus;
}

/** What a middleware follows of a call it let through. Every hook is optional. */
export interface ClientCallWatch {
  /** The request metadata, just before it is sent (trace context goes in here). */
  sending?(metadata: grpc.Metadata): void;
  /** A request message was handed to the transport. */
  sent?(): void;
  /** A response message arrived. */
  received?(): void;
  /** The call's final status; called exactly once, innermost middleware first. */
  ended?(status: CallStatus): void;
}

/** The final status of a call, as much of it as the middlewares read. */
export interface CallStatus {
  code: grpc.status;
  details: string;
}

/** A call a middleware refused: it never reaches the wire and ends with this status. */
export interface RefusedCall {
  refused: CallStatus;
}

/**
 * A client middleware (go-zero's client interceptors) as one hook per call: it may change the
 * call (deadline, context), refuse it, or return a watch to follow it to its end. Unary calls
 * run the hooks directly around grpc-js's `makeUnaryRequest`; streaming calls run them inside
 * one grpc-js interceptor ({@link middlewaresInterceptor}). A grpc-js interceptor layer costs
 * grpc-js several objects and closures per call, which for four middlewares was ~8% of the
 * order service's CPU per request.
 */
export interface ClientMiddleware {
  begin(call: ClientCall): ClientCallWatch | RefusedCall | undefined;
}

/** The watches of one call's middlewares, driven as one. */
export class CallWatches {
  private ended = false;

  constructor(private readonly watches: ClientCallWatch[]) {}

  /** No middleware follows this call (only its deadline changed, or metrics are off). */
  get empty(): boolean {
    return this.watches.length === 0;
  }

  sending(metadata: grpc.Metadata): void {
    for (const watch of this.watches) watch.sending?.(metadata);
  }

  sent(): void {
    for (const watch of this.watches) watch.sent?.();
  }

  received(): void {
    for (const watch of this.watches) watch.received?.();
  }

  /** Innermost first, as a stack of interceptors would unwind; only the first status counts. */
  end(status: CallStatus): void {
    if (this.ended) return;
    this.ended = true;
    for (let i = this.watches.length - 1; i >= 0; i--) this.watches[i]!.ended?.(status);
  }
}

/**
 * Runs `middlewares` in order over `call`. A refusal stops there: the middlewares already passed
 * see the refused status as the call's end, and the refusal is returned.
 */
export function beginCall(middlewares: readonly ClientMiddleware[], call: ClientCall): CallWatches | RefusedCall {
  const watches: ClientCallWatch[] = [];
  for (const middleware of middlewares) {
    const result = middleware.begin(call);
    if (result === undefined) continue;
    if (isRefused(result)) {
      new CallWatches(watches).end(result.refused);
      return result;
    }
    watches.push(result);
  }
  return new CallWatches(watches);
}

function isRefused(result: ClientCallWatch | RefusedCall): result is RefusedCall {
  return (result as RefusedCall).refused !== undefined;
}

/**
 * `middlewares` as one grpc-js client interceptor, for streaming calls and for clients built
 * with grpc-js directly (`new grpc.Client(address, credentials, { interceptors })`).
 */
export function middlewaresInterceptor(middlewares: readonly ClientMiddleware[]): grpc.Interceptor {
  return function zeroscopeClientInterceptor(options, nextCall) {
    // grpc-js builds the interceptor chain synchronously inside the caller's call, so the
    // active context here is the caller's.
    const call: ClientCall = { path: options.method_definition.path, deadline: options.deadline, context: context.active() };
    const begun = beginCall(middlewares, call);
    if (!(begun instanceof CallWatches)) return new grpc.InterceptingCall(refusedCall(begun.refused));
    const nextOptions = call.deadline === options.deadline ? options : { ...options, deadline: call.deadline };
    // Nothing to follow: hand back the next call itself rather than a pass-through layer
    // (grpc-js only uses the call's interface, and every layer costs it objects per call).
    if (begun.empty) return nextCall(nextOptions) as grpc.InterceptingCall;
    // Interceptors further in are built in the call's context (the CLIENT span's, when traced).
    const inner = context.with(call.context, nextCall, undefined, nextOptions);
    return new grpc.InterceptingCall(inner, {
      start(metadata, _listener, next) {
        begun.sending(metadata);
        next(metadata, {
          onReceiveMessage(message, nextMessage) {
            begun.received();
            nextMessage(message);
          },
          onReceiveStatus(status, nextStatus) {
            begun.end(status);
            nextStatus(status);
          },
        });
      },
      sendMessage(message, next) {
        begun.sent();
        next(message);
      },
    });
  };
}

/**
 * The one shape of `clientinterceptors/`: a grpc-js client interceptor (for a client built with
 * grpc-js directly, `new grpc.Client(address, credentials, { interceptors: [x] })`) that also
 * carries its middleware's `begin` hook, so `createClient` runs it without grpc-js's per-call
 * layers (see {@link ClientMiddleware}).
 */
export type ClientInterceptor = grpc.Interceptor & ClientMiddleware;

/** `middleware` as a {@link ClientInterceptor}: one grpc-js interceptor running it, and its hook. */
export function clientInterceptor(middleware: ClientMiddleware): ClientInterceptor {
  return Object.assign(middlewaresInterceptor([middleware]), { begin: middleware.begin.bind(middleware) });
}

/** The grpc-js interceptors that run `middlewares`: one, or none when there are none. */
export function interceptorsOf(middlewares: readonly ClientMiddleware[]): grpc.Interceptor[] {
  return middlewares.length === 0 ? [] : [middlewaresInterceptor(middlewares)];
}

type CallInterface = ConstructorParameters<typeof grpc.InterceptingCall>[0];

/**
 * A call that never reaches a channel and ends with `status` as soon as it starts. Made by hand
 * rather than with `nextCall()`, which would create (and leave unstarted) a real call.
 */
function refusedCall(status: CallStatus): CallInterface {
  return {
    start(_metadata, listener) {
      // Asynchronously, as a real status would arrive: callers set up after start() returns.
      process.nextTick(() => {
        listener?.onReceiveMetadata?.(new grpc.Metadata());
        listener?.onReceiveStatus?.({ ...status, metadata: new grpc.Metadata() });
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
