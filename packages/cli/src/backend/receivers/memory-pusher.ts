/** An in-memory TracesPusher for tests of receivers and of the app wiring. */
import type { ExportTraceServiceRequest } from '../otlp/index.ts';
import type { TracesPusher } from './types.ts';

/** A TracesPusher that keeps what it is given and can be told to fail. */
export interface MemoryPusher extends TracesPusher {
  /** Every pushed request, in order. */
  readonly requests: ExportTraceServiceRequest[];
  /** Makes following pushes reject with `error` (undefined: succeed again). */
  failWith(error: unknown): void;
  /** Resolves with the next pushed request. */
  next(): Promise<ExportTraceServiceRequest>;
}

/** Creates an empty MemoryPusher. */
export function createMemoryPusher(): MemoryPusher {
  const requests: ExportTraceServiceRequest[] = [];
  const waiters: ((request: ExportTraceServiceRequest) => void)[] = [];
  let failure: unknown;
  return {
    requests,
    failWith(error) {
      failure = error;
    },
    next() {
      return new Promise((resolve) => waiters.push(resolve));
    },
    async push(request) {
      if (failure !== undefined) throw failure;
      requests.push(request);
      for (const resolve of waiters.splice(0)) resolve(request);
    },
  };
}
