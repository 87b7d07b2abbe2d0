import { trace } from '@opentelemetry/api';
import { RpcStatusError, status } from 'zeroscope/rpc';
import type { Order } from '../../generated/user/Order.ts';
import type { UserStore } from '../svc/store.ts';

/** ListOrders: a known user's orders one by one; NOT_FOUND for an unknown user. */
export async function* listOrders(store: UserStore, userId: string): AsyncGenerator<Order> {
  if (store.user(userId) === undefined) throw new RpcStatusError(status.NOT_FOUND, `user ${userId} not found`);
  const orders = store.ordersOf(userId);
  // The handler runs inside the server span: annotate it like any other active span.
  trace.getActiveSpan()?.setAttribute('user.orders.count', orders.length);
  for (const order of orders) yield order;
}
