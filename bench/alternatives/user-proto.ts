/**
 * The example's user.proto loaded the usual way (@grpc/proto-loader at run time), shared by the
 * alternative user server and the alternative order APIs' clients.
 */
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { fileURLToPath } from 'node:url';

/** GetUser's reply. */
export interface UserReply {
  id: string;
  name: string;
  email: string;
}

/** The generated client's one method the order API calls. */
export interface UserClient extends grpc.Client {
  GetUser(request: { id: string }, callback: (err: grpc.ServiceError | null, reply?: UserReply) => void): grpc.ClientUnaryCall;
}

const protoPath = fileURLToPath(new URL('../../examples/user-rpc/user.proto', import.meta.url));
const definition = protoLoader.loadSync(protoPath, { keepCase: false, longs: String, enums: String, defaults: true, oneofs: true });
const loaded = grpc.loadPackageDefinition(definition) as unknown as {
  user: { User: grpc.ServiceClientConstructor };
};

/** The `user.User` service: its definition (for a server) and client constructor. */
export const UserService = loaded.user.User;

/** A client of `user.User` at `address` (host:port), plaintext. */
export function userClient(address: string): UserClient {
  return new UserService(address, grpc.credentials.createInsecure()) as unknown as UserClient;
}

/** The example's users (examples/user-rpc/internal/svc/store.ts), duplicated so the alternatives stand alone. */
export const USERS: ReadonlyMap<string, UserReply> = new Map([
  ['1', { id: '1', name: 'Ada Lovelace', email: 'ada@example.com' }],
  ['2', { id: '2', name: 'Grace Hopper', email: 'grace@example.com' }],
  ['3', { id: '3', name: 'Alan Turing', email: 'alan@example.com' }],
]);

/** `--name value` from argv, else the environment variable, else the fallback. */
export function arg(name: string, envName: string, fallback?: string): string {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? process.argv[i + 1] : process.env[envName] ?? fallback;
  if (value === undefined) throw new Error(`missing --${name} (or $${envName})`);
  return value;
}
