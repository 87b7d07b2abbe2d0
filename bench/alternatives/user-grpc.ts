/**
 * The user service as a TypeScript user writes it today with @grpc/grpc-js (variants D and E):
 *   node --import tsx bench/alternatives/user-grpc.ts --port 50051
 * Traced only when started with `--import bench/alternatives/otel-preload.ts` (variant D).
 */
import * as grpc from '@grpc/grpc-js';
import { arg, USERS, UserService, type UserReply } from './user-proto.ts';

const port = Number(arg('port', 'USER_PORT'));

const server = new grpc.Server();
server.addService(UserService.service, {
  GetUser(call: grpc.ServerUnaryCall<{ id: string }, UserReply>, callback: grpc.sendUnaryData<UserReply>) {
    const user = USERS.get(call.request.id);
    if (!user) callback({ code: grpc.status.NOT_FOUND, details: `user ${call.request.id} not found` });
    else callback(null, user);
  },
});
server.bindAsync(`127.0.0.1:${port}`, grpc.ServerCredentials.createInsecure(), (err, bound) => {
  if (err) throw err;
  console.log(`user-grpc listening on 127.0.0.1:${bound}`);
});

const stop = () => server.tryShutdown(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
