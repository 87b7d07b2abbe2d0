/**
 * zeroscope's web UI. The browser bundle starts at main.tsx (built by scripts/build-ui.mjs into
 * dist/ui/); this barrel exposes the pure logic for tests and for other tools.
 */
export { ApiBadJsonError, ApiBadProtobufError, ApiNetworkError, ApiStatusError, BadTraceIdError, UiError, UiErrorCodes } from './errors.ts';
export type { UiErrorCode } from './errors.ts';
export { fetchTagNames, fetchTagValues, fetchTrace, searchTraces, TempoPaths } from './lib/api.ts';
export type { ApiOptions } from './lib/api.ts';
export { criticalPath } from './lib/critical-path.ts';
export type { CriticalPath, CriticalSegment } from './lib/critical-path.ts';
export { idToHex, isSpanIdHex, isTraceIdHex, normalizeTraceId, parseTraceInput } from './lib/ids.ts';
export type { TraceTarget } from './lib/ids.ts';
export { isInternalHref, parseRoute, traceHref } from './lib/router.ts';
export type { Route } from './lib/router.ts';
export { resultRows } from './lib/search-results.ts';
export type { ResultRow } from './lib/search-results.ts';
export {
  effectiveTraceQL,
  emptySearchState,
  pickersToTraceQL,
  stateFromParams,
  stateToParams,
  toSearchParams,
} from './lib/search-state.ts';
export type { AttrFilter, FilterOp, SearchState, TimeRange } from './lib/search-state.ts';
export { buildServiceGraph } from './lib/service-graph.ts';
export type { GraphEdge, GraphNode, ServiceGraph } from './lib/service-graph.ts';
export { formatDuration, formatTick, plural } from './lib/format.ts';
export { timeTicks } from './lib/time-ticks.ts';
export type { TimeTicks } from './lib/time-ticks.ts';
export { buildTrace, matchingSpans, visibleSpans } from './lib/trace-model.ts';
export type { UiSpan, UiTrace } from './lib/trace-model.ts';
