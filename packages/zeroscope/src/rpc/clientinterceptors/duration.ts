import { performance } from 'node:perf_hooks';
import * as grpc from '@grpc/grpc-js';
import { context } from '@opentelemetry/api';
import { type AccessEntry, isSlow, logAccess } from '../../log/index.ts';
import type { ServerAddress } from '../internal/address.ts';
import { type ClientInterceptor, clientInterceptor } from '../internal/client-call.ts';
import { methodInfo } from '../internal/method-info.ts';
import { grpcOutcome } from '../internal/grpc-outcome.ts';

/**
 * A log line for every call that fails and every call slower than `Log.SlowThreshold` (go-zero's
 * client DurationInterceptor), in the caller's context so it carries the caller's trace (the
 * CLIENT span's, when Trace runs before it): `kind: rpc-client`, the method, the `server` this
 * channel dials, the status code and its name, the duration, and the status message in the
 * text. Calls that succeed in time write nothing, whatever `Log.Stat` says: the server logs them.
 *
 * @example
 *   new grpc.Client(address, credentials, { interceptors: [durationClientInterceptor({ host: 'user', port: 8080 })] });
 */
export function durationClientInterceptor(server?: ServerAddress): ClientInterceptor {
  const peer = server === undefined ? undefined : server.port === undefined ? server.host : `${server.host}:${server.port}`;
  return clientInterceptor({
    begin(call) {
      const started = performance.now();
      return {
        ended({ code, details }) {
          const durationMs = performance.now() - started;
          // The common case, a call that succeeded in time, costs no entry and no context switch.
          if (code === grpc.status.OK && !isSlow(durationMs)) return;
          const entry: AccessEntry = {
            kind: 'rpc-client',
            method: methodInfo(call.path).name,
            server: peer,
            status: code,
            code: grpc.status[code] ?? String(code),
            details: code === grpc.status.OK ? undefined : details,
            durationMs,
            outcome: grpcOutcome(code),
          };
          context.with(call.context, logAccess, undefined, entry);
        },
      };
    },
  });
}
