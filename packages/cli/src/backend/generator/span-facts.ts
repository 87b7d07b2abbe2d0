/** What the processors read from decoded OTLP spans, in one place. */
import { anyValueToAttr, longToBigInt, type KeyValue, type Span } from '../otlp/index.ts';

/** OTLP SpanKind numbers as Tempo's label values (the proto enum names). */
export const SPAN_KIND_NAMES = ['SPAN_KIND_UNSPECIFIED', 'SPAN_KIND_INTERNAL', 'SPAN_KIND_SERVER', 'SPAN_KIND_CLIENT', 'SPAN_KIND_PRODUCER', 'SPAN_KIND_CONSUMER'] as const;
/** OTLP StatusCode numbers as Tempo's label values. */
export const STATUS_CODE_NAMES = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'] as const;

export const KIND = { SERVER: 2, CLIENT: 3, PRODUCER: 4, CONSUMER: 5 } as const;
export const STATUS_ERROR = 2;

/** The string form of an attribute value, or undefined when absent or empty. */
export function findAttribute(key: string, ...lists: Array<readonly KeyValue[] | null | undefined>): string | undefined {
  for (const list of lists) {
    const kv = list ? firstWithKey(list, key) : undefined;
    if (!kv) continue;
    const value = anyValueToAttr(kv.value);
    if (value === null || value === '') continue;
    return typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
  return undefined;
}

// A plain loop: this runs several times per span on the ingest path.
function firstWithKey(list: readonly KeyValue[], key: string): KeyValue | undefined {
  for (let i = 0; i < list.length; i++) if (list[i].key === key) return list[i];
  return undefined;
}

/** Seconds from start to end; a negative duration counts as 0, as in Tempo. */
export function durationSeconds(span: Span): number {
  const start = longToBigInt(span.startTimeUnixNano);
  const end = longToBigInt(span.endTimeUnixNano);
  return end > start ? Number(end - start) / 1e9 : 0;
}

