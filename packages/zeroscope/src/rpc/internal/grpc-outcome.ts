import * as grpc from '@grpc/grpc-js';
import type { AccessOutcome } from '../../log/index.ts';

/** gRPC codes that blame the server (`Log.AccessLevels.ServerError`); other non-OK codes blame the caller. */
const SERVER_FAULTS: ReadonlySet<grpc.status> = new Set([
  grpc.status.UNKNOWN,
  grpc.status.DEADLINE_EXCEEDED,
  grpc.status.UNIMPLEMENTED,
  grpc.status.INTERNAL,
  grpc.status.UNAVAILABLE,
  grpc.status.DATA_LOSS,
]);

/** How a call with status `code` ended, for its access line: one rule for the server's lines and the client's. */
export function grpcOutcome(code: grpc.status): AccessOutcome {
  return code === grpc.status.OK ? 'success' : SERVER_FAULTS.has(code) ? 'server-error' : 'client-error';
}
