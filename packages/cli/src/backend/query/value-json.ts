/**
 * TraceQL runtime values as OTLP AnyValue JSON, the way Tempo's Static.AsAnyValue writes them:
 * ints as int64 strings, floats as doubles, durations as Go duration text (`1.5s`), status, kind
 * and nil as their names. Spanset attributes (`by(...)`, `count()`) and metrics labels use it.
 */
import type { AnyValueJson } from './search-response.ts';
import type { Value } from './evaluate-field.ts';

export function valueToAnyValue(v: Value): AnyValueJson {
  switch (v.t) {
    case 'int':
      return { intValue: String(v.v) };
    case 'float':
      return { doubleValue: v.v };
    case 'bool':
      return { boolValue: v.v };
    case 'duration':
      return { stringValue: goDuration(v.v) };
    case 'string':
    case 'status':
    case 'kind':
      return { stringValue: v.v };
    case 'list':
      return { arrayValue: { values: v.v.map(valueToAnyValue) } };
    case 'nil':
      return { stringValue: 'nil' };
  }
}

/** Go's time.Duration.String(): `1h2m3.5s`, `150ms`, `2µs`, `0s`. */
export function goDuration(nanos: number): string {
  const n = Math.round(nanos);
  if (n === 0) return '0s';
  const sign = n < 0 ? '-' : '';
  const abs = Math.abs(n);
  if (abs < 1e3) return `${sign}${abs}ns`;
  if (abs < 1e6) return `${sign}${trim(abs / 1e3)}µs`;
  if (abs < 1e9) return `${sign}${trim(abs / 1e6)}ms`;
  const h = Math.floor(abs / 3600e9);
  const m = Math.floor((abs % 3600e9) / 60e9);
  const s = (abs % 60e9) / 1e9;
  return `${sign}${h > 0 ? `${h}h` : ''}${h > 0 || m > 0 ? `${m}m` : ''}${trim(s)}s`;
}

function trim(x: number): string {
  return String(Number(x.toFixed(9)));
}
