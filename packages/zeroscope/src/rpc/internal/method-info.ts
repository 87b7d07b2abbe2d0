import type { Attributes } from '@opentelemetry/api';
import { rpcSpanInfo } from '../../trace/index.ts';

/** What a gRPC method path says: span name and the `rpc.*` attributes. */
export interface MethodInfo {
  /** `/user.User/GetUser` */
  readonly path: string;
  /** `user.User/GetUser`: the span name. */
  readonly name: string;
  /** `rpc.system`, `rpc.service`, `rpc.method`; shared, never mutate. */
  readonly attributes: Readonly<Attributes>;
}

// Method paths are few and fixed, so parse each once; the hot path is then one Map lookup.
const cache = new Map<string, MethodInfo>();

/** Span name and attributes of a gRPC method path (`/package.Service/Method`), memoised. */
export function methodInfo(path: string): MethodInfo {
  let info = cache.get(path);
  if (info === undefined) {
    const { name, attributes } = rpcSpanInfo(path);
    info = Object.freeze({ path, name, attributes: Object.freeze(attributes) });
    cache.set(path, info);
  }
  return info;
}
