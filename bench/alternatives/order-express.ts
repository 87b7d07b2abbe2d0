/**
 * The order API as a TypeScript user writes it today with Express 5 (variant D, traced through
 * otel-preload.ts):
 *   node --import tsx --import ./bench/alternatives/otel-preload.ts bench/alternatives/order-express.ts \
 *     --port 8888 --user 127.0.0.1:50051
 */
import express from 'express';
import * as grpc from '@grpc/grpc-js';
import type { Server } from 'node:http';
import { arg, userClient } from './user-proto.ts';

const port = Number(arg('port', 'ORDER_PORT'));
const users = userClient(arg('user', 'USER_ADDR'));

const app = express();
app.get('/api/order/:id', (req, res, next) => {
  const id = req.params.id;
  users.GetUser({ id }, (err, user) => {
    if (err?.code === grpc.status.NOT_FOUND) res.status(404).json({ error: err.details });
    else if (err) next(err);
    else res.json({ id, userId: user!.id, item: `order ${id} of ${user!.name}`, user });
  });
});

const server: Server = app.listen(port, '127.0.0.1', () => console.log(`order-express listening on 127.0.0.1:${port}`));

const stop = () => server.close(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
