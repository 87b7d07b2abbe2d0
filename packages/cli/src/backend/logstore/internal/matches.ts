/** The filters a search applies to each decoded record. */
import type { LogQuery } from '../types.ts';
import type { RecordValue } from './tables.ts';

/** Text of an AnyValue-ish JSON value for substring search. */
function valueText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'object') return String(value);
  const v = value as Record<string, unknown>;
  if (typeof v.stringValue === 'string') return v.stringValue;
  return JSON.stringify(value);
}

/** A predicate for the query's filters; index-backed filters are checked again (cheap, and exact). */
export function recordFilter(query: LogQuery): (record: RecordValue) => boolean {
  const levels = query.levels?.length ? new Set(query.levels) : undefined;
  const text = query.text?.trim().toLowerCase() || undefined;
  const traceId = query.traceId?.toLowerCase().padStart(32, '0');
  const spanId = query.spanId?.toLowerCase();
  const { startUnixNano: start, endUnixNano: end } = query;
  return (record) => {
    if (query.serviceName !== undefined && record.serviceName !== query.serviceName) return false;
    if (levels && !levels.has(record.level)) return false;
    if (traceId && record.traceId !== traceId) return false;
    if (spanId && record.spanId !== spanId) return false;
    if (start !== undefined || end !== undefined) {
      const time = BigInt(record.timeUnixNano);
      if ((start !== undefined && time < start) || (end !== undefined && time > end)) return false;
    }
    if (text) {
      if (valueText(record.body).toLowerCase().includes(text)) return true;
      return record.attributes.some((kv) => `${kv.key}=${valueText(kv.value)}`.toLowerCase().includes(text));
    }
    return true;
  };
}
