/**
 * TypeScript shapes of decoded OTLP log messages, as protobufjs hands them out (see types.ts for
 * the conventions: scalars default, sub-messages null when absent, fixed64 times as `Long`).
 */
import type { AnyValue, InstrumentationScope, KeyValue, Long, Resource } from './types.ts';

export type LogRecord = {
  timeUnixNano: Long | number;
  /** When the collector (or SDK) saw the record; used when `timeUnixNano` is 0. */
  observedTimeUnixNano: Long | number;
  /** 0 unspecified, 1-4 trace, 5-8 debug, 9-12 info, 13-16 warn, 17-20 error, 21-24 fatal. */
  severityNumber: number;
  severityText: string;
  body?: AnyValue | null;
  attributes: KeyValue[];
  droppedAttributesCount: number;
  /** The low byte is the W3C trace flags. */
  flags: number;
  /** Empty when the record was made outside a trace. */
  traceId: Uint8Array;
  spanId: Uint8Array;
  eventName: string;
};

export type ScopeLogs = {
  scope?: InstrumentationScope | null;
  logRecords: LogRecord[];
  schemaUrl: string;
};

export type ResourceLogs = {
  resource?: Resource | null;
  scopeLogs: ScopeLogs[];
  schemaUrl: string;
};

/** What the logs receivers produce and every LogsPusher consumes. */
export type ExportLogsServiceRequest = {
  resourceLogs: ResourceLogs[];
};
