/** Small reads of the backend's Tempo-compatible API, for checks and query timing. */

/** Tempo v1 trace JSON, only as far as counting spans needs. */
interface TraceJson {
  batches?: Array<{ scopeSpans?: Array<{ spans?: unknown[] }>; instrumentationLibrarySpans?: Array<{ spans?: unknown[] }> }>;
}

/** Trace ids matching a TraceQL query (newest first, up to `limit`). */
export async function searchTraceIds(queryUrl: string, traceql: string, limit = 20): Promise<string[]> {
  const url = `${queryUrl}/api/search?q=${encodeURIComponent(traceql)}&limit=${limit}`;
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { traces?: Array<{ traceID: string }> };
  return (body.traces ?? []).map((t) => t.traceID);
}

/** Number of spans in trace `traceId`, or 0 when unknown. */
export async function traceSpanCount(queryUrl: string, traceId: string): Promise<number> {
  const res = await fetch(`${queryUrl}/api/traces/${traceId}`);
  if (res.status === 404) return 0;
  if (!res.ok) throw new Error(`GET /api/traces/${traceId}: ${res.status}`);
  const body = (await res.json()) as TraceJson;
  let n = 0;
  for (const batch of body.batches ?? []) {
    for (const scope of batch.scopeSpans ?? batch.instrumentationLibrarySpans ?? []) n += scope.spans?.length ?? 0;
  }
  return n;
}
