/** The logs page's form state, its URL form, and the /api/logs/search parameters it becomes. */
import { LOG_LEVELS, type LogLevel } from './zeroscope-api.ts';
import { TIME_RANGES, type TimeRange } from './search-state.ts';

export interface LogsState {
  service: string;
  /** '' for any level. */
  level: LogLevel | '';
  /** Text to find in the body or an attribute. */
  q: string;
  range: TimeRange;
  /** Unix seconds, only for range 'custom'. */
  start?: number;
  end?: number;
  limit: number;
}

const RANGE_SECONDS: Record<Exclude<TimeRange, 'custom'>, number> = { '15m': 900, '1h': 3600, '24h': 86400 };

export function emptyLogsState(): LogsState {
  return { service: '', level: '', q: '', range: '1h', limit: 100 };
}

/** Reads the state from URL parameters; malformed values fall back to defaults. */
export function logsStateFromParams(params: URLSearchParams): LogsState {
  const s = emptyLogsState();
  s.service = params.get('service') ?? '';
  const level = params.get('level') ?? '';
  if ((LOG_LEVELS as readonly string[]).includes(level)) s.level = level as LogLevel;
  s.q = params.get('q') ?? '';
  const range = params.get('range') ?? '';
  if ((TIME_RANGES as readonly string[]).includes(range)) s.range = range as TimeRange;
  if (s.range === 'custom') {
    const start = Number(params.get('start'));
    const end = Number(params.get('end'));
    if (params.get('start') && Number.isFinite(start)) s.start = Math.trunc(start);
    if (params.get('end') && Number.isFinite(end)) s.end = Math.trunc(end);
  }
  const limit = Number(params.get('limit'));
  if (Number.isInteger(limit) && limit > 0 && limit <= 5000) s.limit = limit;
  return s;
}

/** The URL form: only what differs from the defaults. */
export function logsStateToParams(s: LogsState): URLSearchParams {
  const p = new URLSearchParams();
  if (s.service) p.set('service', s.service);
  if (s.level) p.set('level', s.level);
  if (s.q.trim()) p.set('q', s.q.trim());
  if (s.range !== '1h') p.set('range', s.range);
  if (s.range === 'custom') {
    if (s.start !== undefined) p.set('start', String(s.start));
    if (s.end !== undefined) p.set('end', String(s.end));
  }
  if (s.limit !== 100) p.set('limit', String(s.limit));
  return p;
}

/** The /api/logs/search parameters, relative ranges resolved against `nowSeconds`. */
export function toLogSearchParams(s: LogsState, nowSeconds: number): URLSearchParams {
  const p = new URLSearchParams();
  if (s.service) p.set('service', s.service);
  if (s.level) p.set('level', s.level);
  if (s.q.trim()) p.set('q', s.q.trim());
  const now = Math.floor(nowSeconds);
  if (s.range === 'custom') {
    if (s.start !== undefined) p.set('start', String(s.start));
    if (s.end !== undefined) p.set('end', String(s.end));
  } else {
    p.set('start', String(now - RANGE_SECONDS[s.range]));
    p.set('end', String(now + 1));
  }
  p.set('limit', String(s.limit));
  return p;
}
