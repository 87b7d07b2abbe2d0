/**
 * A gzip- or deflate-flagged gRPC message whose data does not inflate is the client's error, so
 * it gets INVALID_ARGUMENT, as every other undecodable message does (see grpc-export.ts). grpc-js
 * inflates messages itself, before any handler or interceptor sees the call, and answers a
 * failure with INTERNAL, a code the receiver does not promise and that clients treat as a server
 * fault. grpc-js offers no hook for it (interceptors wrap the call above the step that inflates),
 * so its one inflating method is wrapped here to re-code that rejection alone; everything else
 * it does, including the size limit on the inflated message (RESOURCE_EXHAUSTED), is unchanged.
 */
import { createRequire } from 'node:module';
import * as grpc from '@grpc/grpc-js';

interface GrpcStatusLike {
  code?: number;
  details?: string;
}

type Decompress = (this: unknown, message: Buffer, encoding: string) => Buffer | Promise<Buffer>;

let installed = false;

/** Installs the re-coding once per process; the gRPC receiver calls it when created. */
export function answerCorruptCompressionAsInvalidArgument(): void {
  if (installed) return;
  installed = true;
  // grpc-js has no exports map, so its internal module is reachable by path; a grpc-js that
  // renames it leaves the default (INTERNAL) in place rather than failing the receiver.
  let proto: { decompressMessage?: Decompress } | undefined;
  try {
    const require = createRequire(import.meta.url);
    const grpcMain = require.resolve('@grpc/grpc-js');
    const internals = require(grpcMain.replace(/index\.js$/, 'server-interceptors.js')) as {
      BaseServerInterceptingCall?: { prototype: { decompressMessage?: Decompress } };
    };
    proto = internals.BaseServerInterceptingCall?.prototype;
  } catch {
    return;
  }
  const original = proto?.decompressMessage;
  if (!proto || typeof original !== 'function') return;
  proto.decompressMessage = function decompressMessage(message, encoding) {
    const result = original.call(this, message, encoding);
    if (!(result instanceof Promise)) return result;
    return result.catch((err: GrpcStatusLike) => {
      if (err?.code === grpc.status.INTERNAL) {
        throw { code: grpc.status.INVALID_ARGUMENT, details: `message is not valid ${encoding}: it does not decompress` };
      }
      throw err;
    });
  };
}
