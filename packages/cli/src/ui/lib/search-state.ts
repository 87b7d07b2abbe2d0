/**
 * The search form's state, its URL form (so a search is shareable and survives reload), the
 * TraceQL the pickers build, and the Tempo /api/search parameters it becomes.
 */
import { timeRangeFromParams, writeResolvedRange, writeTimeRangeParams, type TimeRangeValue } from './time-range.ts';

export { TIME_RANGES } from './time-range.ts';
export type { TimeRange } from './time-range.ts';

export const FILTER_OPS = ['=', '!=', '>', '>=', '<', '<=', '=~', '!~'] as const;
export type FilterOp = (typeof FILTER_OPS)[number];

/** One attribute filter row. */
export interface AttrFilter {
  key: string;
  op: FilterOp;
  value: string;
}

export interface SearchState extends TimeRangeValue {
  service: string;
  spanName: string;
  filters: AttrFilter[];
  /** Tempo duration strings ("100ms", "2s"); '' for none. */
  minDuration: string;
  maxDuration: string;
  /** TraceQL typed by hand; when set it wins over the pickers. */
  q: string;
  limit: number;
}

export const DEFAULT_LIMIT = 20;

export function emptySearchState(): SearchState {
  return { service: '', spanName: '', filters: [], minDuration: '', maxDuration: '', range: '1h', q: '', limit: DEFAULT_LIMIT };
}

const DURATION = /^\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h)$/;

/** Reads the state from URL parameters; unknown or malformed values fall back to defaults. */
export function stateFromParams(params: URLSearchParams): SearchState {
  const s = emptySearchState();
  s.service = params.get('service') ?? '';
  s.spanName = params.get('span') ?? '';
  s.q = params.get('q') ?? '';
  const min = params.get('minDuration') ?? '';
  const max = params.get('maxDuration') ?? '';
  s.minDuration = DURATION.test(min) ? min : '';
  s.maxDuration = DURATION.test(max) ? max : '';
  Object.assign(s, timeRangeFromParams(params));
  const limit = Number(params.get('limit'));
  if (Number.isInteger(limit) && limit > 0 && limit <= 1000) s.limit = limit;
  for (const raw of params.getAll('attr')) {
    const f = parseFilter(raw);
    if (f) s.filters.push(f);
  }
  return s;
}

/** Writes the state as URL parameters, leaving defaults out so URLs stay short. */
export function stateToParams(s: SearchState): URLSearchParams {
  const p = new URLSearchParams();
  if (s.service) p.set('service', s.service);
  if (s.spanName) p.set('span', s.spanName);
  for (const f of s.filters) if (f.key) p.append('attr', `${f.key} ${f.op} ${f.value}`);
  if (s.minDuration) p.set('minDuration', s.minDuration);
  if (s.maxDuration) p.set('maxDuration', s.maxDuration);
  writeTimeRangeParams(p, s);
  if (s.q) p.set('q', s.q);
  if (s.limit !== DEFAULT_LIMIT) p.set('limit', String(s.limit));
  return p;
}

/** "key op value": the key has no spaces, the value is everything after the operator. */
function parseFilter(raw: string): AttrFilter | undefined {
  const m = /^(\S+) (\S+) ?([\s\S]*)$/.exec(raw);
  if (!m || !(FILTER_OPS as readonly string[]).includes(m[2])) return undefined;
  return { key: m[1], op: m[2] as FilterOp, value: m[3] };
}

const INTRINSICS = new Set(['name', 'status', 'kind', 'duration', 'statusMessage', 'rootName', 'rootServiceName', 'traceDuration']);
const ENUM_VALUES: Record<string, Set<string>> = {
  status: new Set(['error', 'ok', 'unset']),
  kind: new Set(['unspecified', 'internal', 'server', 'client', 'producer', 'consumer']),
};

/** An attribute name as TraceQL: scoped names and intrinsics stay, bare names get the any-scope dot. */
export function traceqlKey(key: string): string {
  if (INTRINSICS.has(key) || /^(?:\.|span\.|resource\.|event\.|link\.|instrumentation\.)/.test(key)) return key;
  return `.${key}`;
}

/** A value as a TraceQL literal: numbers, booleans, durations and enums bare, the rest quoted. */
export function traceqlValue(key: string, value: string): string {
  const v = value.trim();
  // Already a quoted string: the person chose the type (e.g. a numeric-looking string id).
  if (/^"(?:[^"\\]|\\.)*"$/.test(v)) return v;
  if (/^-?\d+(?:\.\d+)?$/.test(v) || v === 'true' || v === 'false') return v;
  if ((key === 'duration' || key === 'traceDuration') && DURATION.test(v)) return v;
  if (ENUM_VALUES[key]?.has(v)) return v;
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** The TraceQL the pickers describe, e.g. `{ resource.service.name = "order" && name = "GET /" }`. */
export function pickersToTraceQL(s: SearchState): string {
  const conds: string[] = [];
  if (s.service) conds.push(`resource.service.name = ${traceqlValue('', s.service)}`);
  if (s.spanName) conds.push(`name = ${traceqlValue('', s.spanName)}`);
  for (const f of s.filters) {
    if (!f.key.trim()) continue;
    const key = traceqlKey(f.key.trim());
    const value = f.op === '=~' || f.op === '!~' ? traceqlValue('', f.value) : traceqlValue(key, f.value);
    conds.push(`${key} ${f.op} ${value}`);
  }
  return conds.length ? `{ ${conds.join(' && ')} }` : '{}';
}

/** The query actually sent: typed TraceQL wins over the pickers. */
export function effectiveTraceQL(s: SearchState): string {
  return s.q.trim() || pickersToTraceQL(s);
}

/** Tempo /api/search parameters for this state at time `nowSeconds`. */
export function toSearchParams(s: SearchState, nowSeconds: number): URLSearchParams {
  const p = new URLSearchParams();
  p.set('q', effectiveTraceQL(s));
  p.set('limit', String(s.limit));
  p.set('spss', '3');
  if (s.minDuration) p.set('minDuration', s.minDuration);
  if (s.maxDuration) p.set('maxDuration', s.maxDuration);
  writeResolvedRange(p, s, nowSeconds);
  return p;
}
