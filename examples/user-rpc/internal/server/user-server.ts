import type { ServiceImplementation } from 'zeroscope/rpc';
import type { UserHandlers } from '../../generated/user/User.ts';
import { getUser } from '../logic/get-user.ts';
import { listOrders } from '../logic/list-orders.ts';
import type { UserStore } from '../svc/store.ts';

/** The `user.User` implementation: maps each method to its logic. */
export function userServer(store: UserStore): ServiceImplementation<UserHandlers> {
  return {
    GetUser: (request) => getUser(store, request.id),
    ListOrders: (request) => listOrders(store, request.userId),
  };
}
