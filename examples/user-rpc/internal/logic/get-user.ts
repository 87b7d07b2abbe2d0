import { RpcStatusError, status } from 'zeroscope/rpc';
import type { GetUserReq, UserReply } from '../../pb/user.ts';
import type { ServiceContext } from '../svc/service-context.ts';

/**
 * user.User/GetUser: the user with `id`, or NOT_FOUND. Answers synchronously: a handler that
 * returns its reply (not a promise) costs the server no promise (see src/rpc/README.md).
 */
export function getUser(svc: ServiceContext, request: GetUserReq): UserReply {
  const user = svc.store.user(request.id);
  if (user === undefined) throw new RpcStatusError(status.NOT_FOUND, `user ${request.id} not found`);
  return { id: user.id, name: user.name, email: user.email };
}
