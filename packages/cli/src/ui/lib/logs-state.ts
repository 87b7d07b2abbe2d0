/** The logs page's form state, its URL form, and the /api/logs/search parameters it becomes. */
import { LOG_LEVELS, type LogLevel } from './zeroscope-api.ts';
import { timeRangeFromParams, writeResolvedRange, writeTimeRangeParams, type TimeRangeValue } from './time-range.ts';

export interface LogsState extends TimeRangeValue {
  service: string;
  /** '' for any level. */
  level: LogLevel | '';
  /** Text to find in the body or an attribute. */
  q: string;
  limit: number;
}

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
  Object.assign(s, timeRangeFromParams(params));
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
  writeTimeRangeParams(p, s);
  if (s.limit !== 100) p.set('limit', String(s.limit));
  return p;
}

/** The /api/logs/search parameters, relative ranges resolved against `nowSeconds`. */
export function toLogSearchParams(s: LogsState, nowSeconds: number): URLSearchParams {
  const p = new URLSearchParams();
  if (s.service) p.set('service', s.service);
  if (s.level) p.set('level', s.level);
  if (s.q.trim()) p.set('q', s.q.trim());
  // `end` is whole seconds: one past now keeps the records written during this second.
  writeResolvedRange(p, s, nowSeconds, 1);
  p.set('limit', String(s.limit));
  return p;
}
