/** Loads many traces by id with a small number of requests in flight. */
import { fetchTrace, type ApiOptions } from './api.ts';
import { buildTrace, type UiTrace } from './trace-model.ts';

/**
 * Fetches and builds each trace, `concurrency` at a time. A trace that fails to load is
 * skipped and counted, so one bad trace does not hide the rest.
 */
export async function fetchTraces(
  ids: string[],
  options: ApiOptions & { concurrency?: number } = {},
): Promise<{ traces: UiTrace[]; failed: number }> {
  const traces: UiTrace[] = [];
  let failed = 0;
  let next = 0;
  const worker = async () => {
    while (next < ids.length) {
      const id = ids[next++];
      if (options.signal?.aborted) return;
      try {
        traces.push(buildTrace(await fetchTrace(id, options), id));
      } catch {
        failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, worker));
  options.signal?.throwIfAborted();
  return { traces, failed };
}
