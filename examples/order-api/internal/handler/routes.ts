import { z } from 'zod';
import { defineRoute, type RestServer } from 'zeroscope/rest';
import { getOrder } from '../logic/get-order.ts';
import type { ServiceContext } from '../svc/service-context.ts';

/** order-api's routes (go-zero's generated `handler/routes.go`). */
export function registerHandlers(server: RestServer, svc: ServiceContext): void {
  server.addRoutes([
    defineRoute({
      method: 'GET',
      path: '/api/order/:id',
      request: { params: z.object({ id: z.string().regex(/^[0-9]{1,18}$/, 'expected a numeric order id') }) },
      handler: ({ params }) => getOrder(svc, params.id),
    }),
  ]);
}
