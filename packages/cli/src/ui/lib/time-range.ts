/**
 * The time range of the search and logs forms: relative ranges stay relative in the URL and are
 * resolved against "now" only when a query is sent; `custom` carries explicit Unix seconds.
 */

export const TIME_RANGES = ['15m', '1h', '24h', 'custom'] as const;
export type TimeRange = (typeof TIME_RANGES)[number];

/** A range as the forms hold it. */
export interface TimeRangeValue {
  range: TimeRange;
  /** Unix seconds, only for range 'custom'. */
  start?: number;
  end?: number;
}

/** The default range, left out of URLs. */
export const DEFAULT_TIME_RANGE: TimeRange = '1h';

const RANGE_SECONDS: Record<Exclude<TimeRange, 'custom'>, number> = { '15m': 900, '1h': 3600, '24h': 86400 };

/** Reads `range` (and for custom, `start`/`end`) from URL parameters; malformed values fall back to the default. */
export function timeRangeFromParams(params: URLSearchParams): TimeRangeValue {
  const out: TimeRangeValue = { range: DEFAULT_TIME_RANGE };
  const range = params.get('range') ?? '';
  if ((TIME_RANGES as readonly string[]).includes(range)) out.range = range as TimeRange;
  if (out.range === 'custom') {
    const start = Number(params.get('start'));
    const end = Number(params.get('end'));
    if (params.get('start') && Number.isFinite(start)) out.start = Math.trunc(start);
    if (params.get('end') && Number.isFinite(end)) out.end = Math.trunc(end);
  }
  return out;
}

/** Writes the range's URL form into `p`: nothing for the default, `start`/`end` only for custom. */
export function writeTimeRangeParams(p: URLSearchParams, v: TimeRangeValue): void {
  if (v.range !== DEFAULT_TIME_RANGE) p.set('range', v.range);
  writeCustomBounds(p, v);
}

/**
 * Writes the `start`/`end` an API query takes: custom bounds as given, a relative range ending
 * `endSlackSeconds` after `nowSeconds`.
 */
export function writeResolvedRange(p: URLSearchParams, v: TimeRangeValue, nowSeconds: number, endSlackSeconds = 0): void {
  if (v.range === 'custom') return writeCustomBounds(p, v);
  const now = Math.floor(nowSeconds);
  p.set('start', String(now - RANGE_SECONDS[v.range]));
  p.set('end', String(now + endSlackSeconds));
}

function writeCustomBounds(p: URLSearchParams, v: TimeRangeValue): void {
  if (v.range !== 'custom') return;
  if (v.start !== undefined) p.set('start', String(v.start));
  if (v.end !== undefined) p.set('end', String(v.end));
}
