import * as grpc from '@grpc/grpc-js';

/**
 * gRPC codes that blame the server (`Log.AccessLevels.ServerError`); other non-OK codes blame the
 * caller. One list for the server's access lines and the client's failed-call lines.
 */
export const SERVER_FAULTS: ReadonlySet<grpc.status> = new Set([
  grpc.status.UNKNOWN,
  grpc.status.DEADLINE_EXCEEDED,
  grpc.status.UNIMPLEMENTED,
  grpc.status.INTERNAL,
  grpc.status.UNAVAILABLE,
  grpc.status.DATA_LOSS,
]);
