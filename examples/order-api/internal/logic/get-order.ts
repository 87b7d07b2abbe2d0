import { HttpError } from 'zeroscope/rest';
import { RpcStatusError, status } from 'zeroscope/rpc';
import type { ServiceContext } from '../svc/service-context.ts';
import type { OrderReply, OrderReq } from '../types/types.ts';

/**
 * GET /api/order/:id. In the seed each order `:id` belongs to user `:id`, so the order is made
 * from the id and the user comes from user-rpc: that call is the trace's middle span.
 */
export async function getOrder(svc: ServiceContext, req: OrderReq): Promise<OrderReply> {
  const id = String(req.id);
  try {
    const user = await svc.userRpc.getUser({ id });
    return { id, userId: user.id, item: `order ${id} of ${user.name}`, user };
  } catch (err) {
    if (err instanceof RpcStatusError && err.grpcCode === status.NOT_FOUND) {
      // The cause marks the server span as failed by its downstream call, not by the client.
      throw new HttpError(404, `order ${id} not found: ${err.details}`, { cause: err });
    }
    throw err;
  }
}
