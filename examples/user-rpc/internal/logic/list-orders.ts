import { trace } from '@opentelemetry/api';
import { RpcStatusError, status } from 'zeroscope/rpc';
import type { ListOrdersReq, Order } from '../../pb/user.ts';
import type { ServiceContext } from '../svc/service-context.ts';

/** user.User/ListOrders: a known user's orders one by one; NOT_FOUND for an unknown user. */
export async function* listOrders(svc: ServiceContext, request: ListOrdersReq): AsyncGenerator<Order> {
  if (svc.store.user(request.userId) === undefined) throw new RpcStatusError(status.NOT_FOUND, `user ${request.userId} not found`);
  const orders = svc.store.ordersOf(request.userId);
  // The handler runs inside the server span: annotate it like any other active span.
  trace.getActiveSpan()?.setAttribute('user.orders.count', orders.length);
  for (const order of orders) yield order;
}
