/**
 * The streaming methods of a client. Each waits for the first endpoint list if it must, then
 * opens the call on the picked channel with the channel's middlewares as one grpc-js interceptor
 * (a stream's messages go through grpc-js's interceptor API anyway), and tells the balancer how
 * it ended.
 */
import type * as grpc from '@grpc/grpc-js';
import { RpcError } from '../errors.ts';
import type { RequestSource } from '../generated-service.ts';
import type { CallOptions, ResponseStream } from '../service.ts';
import type { EndpointFeed } from './endpoint-feed.ts';
import { deferredStream, failedStream, responseStream } from './response-stream.ts';
import type { Router } from './router.ts';
import { toStatusError } from './status-error.ts';

type Method = grpc.MethodDefinition<unknown, unknown>;

/** Server-streaming: one request, the replies read from the returned stream. */
export function serverStreamCaller(router: Router, feed: EndpointFeed, def: Method) {
  return function callServerStream(request: unknown, callOptions?: CallOptions): ResponseStream<unknown> {
    const open = (): ResponseStream<unknown> => {
      const routed = router.route(callOptions);
      if (routed instanceof RpcError) return failedStream(routed);
      const call = routed.client.makeServerStreamRequest(def.path, def.requestSerialize, def.responseDeserialize, request, routed.metadata, {
        ...routed.options,
        interceptors: routed.chain.interceptors,
      });
      call.on('status', (s: grpc.StatusObject) => routed.done(s.code));
      return responseStream(call);
    };
    const waiting = feed.forCall(callOptions);
    return waiting === undefined ? open() : deferredStream(waiting, open);
  };
}

/** Client-streaming: writes every request of the source, resolves with the one reply. */
export function clientStreamCaller(router: Router, feed: EndpointFeed, def: Method) {
  return function callClientStream(requests: RequestSource<unknown>, callOptions?: CallOptions): Promise<unknown> {
    const open = () =>
      new Promise<unknown>((resolve, reject) => {
        const routed = router.route(callOptions);
        if (routed instanceof RpcError) {
          reject(routed);
          return;
        }
        const call = routed.client.makeClientStreamRequest(
          def.path,
          def.requestSerialize,
          def.responseDeserialize,
          routed.metadata,
          { ...routed.options, interceptors: routed.chain.interceptors },
          (err, reply) => (err ? reject(toStatusError(err)) : resolve(reply)),
        );
        call.on('status', (s: grpc.StatusObject) => routed.done(s.code));
        // A source that throws cancels the call; the caller gets the source's error.
        void writeAll(call, requests).catch((err: unknown) => reject(err));
      });
    const waiting = feed.forCall(callOptions);
    return waiting === undefined ? open() : waiting.then(open);
  };
}

/** Bidi: writes the source's requests while the replies are read from the returned stream. */
export function bidiStreamCaller(router: Router, feed: EndpointFeed, def: Method) {
  return function callBidiStream(requests: RequestSource<unknown>, callOptions?: CallOptions): ResponseStream<unknown> {
    const open = (): ResponseStream<unknown> => {
      const routed = router.route(callOptions);
      if (routed instanceof RpcError) return failedStream(routed);
      const call = routed.client.makeBidiStreamRequest(def.path, def.requestSerialize, def.responseDeserialize, routed.metadata, {
        ...routed.options,
        interceptors: routed.chain.interceptors,
      });
      call.on('status', (s: grpc.StatusObject) => routed.done(s.code));
      const failure: { error?: unknown } = {};
      void writeAll(call, requests).catch((err: unknown) => {
        failure.error = err;
      });
      return responseStream(call, failure);
    };
    const waiting = feed.forCall(callOptions);
    return waiting === undefined ? open() : deferredStream(waiting, open);
  };
}

/**
 * Writes each request of `requests` to a client-streaming or bidi call with back-pressure, then
 * half-closes. Stops once the call has its status; a source that throws cancels the call.
 */
async function writeAll(call: grpc.ClientWritableStream<unknown> | grpc.ClientDuplexStream<unknown, unknown>, requests: RequestSource<unknown>): Promise<void> {
  let ended = false;
  call.once('status', () => {
    ended = true;
  });
  try {
    for await (const request of requests) {
      if (ended) return;
      if (!call.write(request)) await new Promise<void>((resolve) => {
        const done = () => {
          call.off('drain', done);
          call.off('status', done);
          resolve();
        };
        call.on('drain', done);
        call.on('status', done);
      });
    }
  } catch (err) {
    call.cancel();
    throw err;
  }
  if (!ended) call.end();
}
