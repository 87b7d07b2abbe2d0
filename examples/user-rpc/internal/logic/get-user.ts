import { RpcStatusError, status } from 'zeroscope/rpc';
import type { UserReply } from '../../generated/user/UserReply.ts';
import type { UserStore } from '../svc/store.ts';

/** GetUser: the user with `id`, or NOT_FOUND. */
export function getUser(store: UserStore, id: string): UserReply {
  const user = store.user(id);
  if (user === undefined) throw new RpcStatusError(status.NOT_FOUND, `user ${id} not found`);
  return { id: user.id, name: user.name, email: user.email };
}
