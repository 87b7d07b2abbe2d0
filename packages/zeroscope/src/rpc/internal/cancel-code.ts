import * as grpc from '@grpc/grpc-js';

/**
 * How close to its deadline a cancelled call counts as timed out. The client's deadline is the
 * same instant as the server's (grpc-timeout carries it), so the client's own timer usually fires
 * first and its cancel reaches the server a moment BEFORE the server's deadline: that call still
 * ended because time ran out.
 */
const DEADLINE_SLACK_MS = 50;

/**
 * The status a server call ended with when grpc-js reports a cancel without a status (it answers
 * an expired deadline itself, bypassing sendStatus): DEADLINE_EXCEEDED when the call's deadline
 * has passed or is about to, CANCELLED otherwise.
 */
export function cancelCode(call: Pick<grpc.ServerInterceptingCallInterface, 'getDeadline'>): grpc.status {
  const deadline = call.getDeadline();
  if (deadline === Infinity) return grpc.status.CANCELLED;
  const at = deadline instanceof Date ? deadline.getTime() : Number(deadline);
  return at - Date.now() <= DEADLINE_SLACK_MS ? grpc.status.DEADLINE_EXCEEDED : grpc.status.CANCELLED;
}
