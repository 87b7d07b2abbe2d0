import type { ExportTraceServiceRequest, ExportTraceServiceRequestLike } from '../otlp/index.ts';
import { openMemoryStore } from './memory-store.ts';
import { runStoreContract } from './testing/store-contract.ts';

// Compile-time check: what the receivers decode is what the store accepts, without a cast.
export const acceptsDecodedRequests = (request: ExportTraceServiceRequest): ExportTraceServiceRequestLike => request;

runStoreContract('memory', (options) => openMemoryStore(options));
