/**
 * The OTLP/gRPC Export method, written once for every signal. Messages reach the handler as raw
 * bytes and are decoded by ../otlp's protobufjs decoders, the same path as OTLP/HTTP; decoding
 * in the handler (not in grpc-js' deserializer) is what lets a bad message be answered
 * INVALID_ARGUMENT instead of grpc-js' INTERNAL.
 */
import * as grpc from '@grpc/grpc-js';
import { encodeRpcStatus, retryInfoDetail } from '../otlp/index.ts';
import { tokenGuard } from './auth.ts';
import type { BodyBudget } from './body-budget.ts';
import type { OtlpSignal } from './export-signals.ts';
import { describeFailure } from './failure.ts';

const identity = (bytes: Buffer): Buffer => bytes;

/** A one-method (Export) service definition with raw-bytes (de)serialisers. */
export function exportServiceDefinition(signal: OtlpSignal<unknown>): grpc.ServiceDefinition {
  return {
    Export: {
      path: signal.grpcPath,
      requestStream: false,
      responseStream: false,
      originalName: 'export',
      requestSerialize: identity,
      requestDeserialize: identity,
      responseSerialize: (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      responseDeserialize: identity,
    },
  };
}

/**
 * The status a failed Export call is answered with: describeFailure's code and message, and a
 * `google.rpc.RetryInfo` detail when the failure says when to retry (OTLP clients retry
 * RESOURCE_EXHAUSTED only when the status carries one).
 */
export function failureStatus(error: unknown, onError: (error: unknown) => void = () => {}): { code: grpc.status; details: string; metadata: grpc.Metadata } {
  const answer = describeFailure(error);
  if (answer.unexpected) onError(error);
  const metadata = new grpc.Metadata();
  if (answer.retryAfterSeconds !== undefined) {
    const status = { code: answer.grpcCode, message: answer.message, details: [retryInfoDetail(answer.retryAfterSeconds)] };
    metadata.set('grpc-status-details-bin', Buffer.from(encodeRpcStatus(status)));
  }
  return { code: answer.grpcCode, details: answer.message, metadata };
}

/** What an Export handler needs besides the signal. */
export interface GrpcExportOptions<R> {
  pusher: { push(request: R): Promise<void> };
  /** grpc-js has read the message when the handler runs; the budget still refuses to decode and hold it. */
  bodyBudget?: BodyBudget;
  authToken?: string;
  onError: (error: unknown) => void;
}

/**
 * The Export handler: token check, decode, push, then an empty success; any failure is answered
 * with the status describeFailure maps it to.
 */
export function grpcExportHandler<R>(signal: OtlpSignal<R>, options: GrpcExportOptions<R>): grpc.handleUnaryCall<Buffer, Uint8Array> {
  const { pusher, onError } = options;
  const checkToken = tokenGuard(options.authToken);
  return (call, callback) => {
    const reservation = options.bodyBudget?.open();
    const fail = (error: unknown): void => {
      reservation?.release();
      callback(failureStatus(error, onError));
    };
    const done = (response: Uint8Array): void => {
      reservation?.release();
      callback(null, response);
    };
    try {
      if (options.authToken !== undefined) {
        checkToken(call.metadata.get('authorization')[0], call.metadata.get('x-zeroscope-token')[0]);
      }
      reservation?.grow(call.request.length);
      const request = signal.decodeProtobuf(call.request);
      // Bad spans are dropped and reported; the good ones are stored (OTLP partial success).
      const partial = signal.screen(request, 'protobuf');
      if (!signal.hasRecords(request)) return done(signal.encodeResponse(partial));
      pusher.push(request).then(() => done(signal.encodeResponse(partial)), fail);
    } catch (error) {
      fail(error);
    }
  };
}
