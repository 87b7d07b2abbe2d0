/**
 * The order API on bare Fastify 5 and @grpc/grpc-js, untraced (variant E: the ceiling):
 *   node --import tsx bench/alternatives/order-fastify.ts --port 8888 --user 127.0.0.1:50051
 */
import Fastify from 'fastify';
import * as grpc from '@grpc/grpc-js';
import { arg, userClient, type UserReply } from './user-proto.ts';

const port = Number(arg('port', 'ORDER_PORT'));
const users = userClient(arg('user', 'USER_ADDR'));

function getUser(id: string): Promise<UserReply> {
  return new Promise((resolve, reject) => users.GetUser({ id }, (err, user) => (err ? reject(err) : resolve(user!))));
}

const app = Fastify({ logger: false });
app.get<{ Params: { id: string } }>('/api/order/:id', async (req, reply) => {
  const id = req.params.id;
  try {
    const user = await getUser(id);
    return { id, userId: user.id, item: `order ${id} of ${user.name}`, user };
  } catch (err) {
    if ((err as grpc.ServiceError).code === grpc.status.NOT_FOUND) return reply.code(404).send({ error: (err as grpc.ServiceError).details });
    throw err;
  }
});

await app.listen({ port, host: '127.0.0.1' });
console.log(`order-fastify listening on 127.0.0.1:${port}`);

const stop = () => void app.close().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
