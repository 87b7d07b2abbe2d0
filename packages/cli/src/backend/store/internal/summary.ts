/**
 * The per-trace summary record: merged from each push's new spans, encoded compactly for lmdb,
 * and matched against fetch hints so that search decodes spans only of traces that can qualify.
 */
import type { FetchRequest } from '../../query/storage.ts';
import type { ServiceStats, TraceSummary } from '../types.ts';
import type { PreparedSpan } from './prepare.ts';

/**
 * Distinct span names kept per trace. Past this the trace is marked `namesOverflow` and every
 * span-name search considers it, so a huge trace costs a little speed, never a missed result.
 */
export const MAX_NAMES_PER_TRACE = 256;

export interface SummaryRecord {
  start: bigint;
  end: bigint;
  hasRoot: boolean;
  rootStart: bigint;
  rootService: string;
  rootName: string;
  spanCount: number;
  errorCount: number;
  bytes: number;
  services: Map<string, ServiceStats>;
  names: Set<string>;
  namesOverflow: boolean;
}

/** The summary after adding spans not stored before (never mutates `prev`). */
export function mergeSummary(prev: SummaryRecord | undefined, spans: readonly PreparedSpan[]): SummaryRecord {
  const next: SummaryRecord = prev
    ? {
        ...prev,
        services: new Map([...prev.services].map(([k, v]) => [k, { ...v }])),
        names: new Set(prev.names),
      }
    : {
        start: spans[0].start,
        end: spans[0].end,
        hasRoot: false,
        rootStart: 0n,
        rootService: '',
        rootName: '',
        spanCount: 0,
        errorCount: 0,
        bytes: 0,
        services: new Map(),
        names: new Set(),
        namesOverflow: false,
      };
  for (const span of spans) {
    if (span.start < next.start) next.start = span.start;
    if (span.end > next.end) next.end = span.end;
    next.spanCount++;
    next.bytes += span.value.length;
    if (span.isError) next.errorCount++;
    let stats = next.services.get(span.serviceName);
    if (!stats) next.services.set(span.serviceName, (stats = { spanCount: 0, errorCount: 0 }));
    stats.spanCount++;
    if (span.isError) stats.errorCount++;
    if (!next.names.has(span.name)) {
      if (next.names.size < MAX_NAMES_PER_TRACE) next.names.add(span.name);
      else next.namesOverflow = true;
    }
    // Several parentless spans can happen (broken propagation); the earliest one is the root.
    if (span.isRoot && (!next.hasRoot || span.start < next.rootStart)) {
      next.hasRoot = true;
      next.rootStart = span.start;
      next.rootService = span.serviceName;
      next.rootName = span.name;
    }
  }
  return next;
}

/** True when the trace can satisfy the hints (the engine still evaluates the full query). */
export function matchesSummary(s: SummaryRecord, req: FetchRequest): boolean {
  if (req.endUnixNano !== undefined && s.start > req.endUnixNano) return false;
  if (req.startUnixNano !== undefined && s.end < req.startUnixNano) return false;
  if (req.serviceNames?.length && !req.serviceNames.some((n) => s.services.has(n))) return false;
  if (req.spanNames?.length && !s.namesOverflow && !req.spanNames.some((n) => s.names.has(n))) return false;
  const duration = durationOf(s);
  if (req.minTraceDurationNanos !== undefined && duration < req.minTraceDurationNanos) return false;
  if (req.maxTraceDurationNanos !== undefined && duration > req.maxTraceDurationNanos) return false;
  return true;
}

/** Whole-trace duration in nanoseconds (0 when the clock data is inverted). */
export function durationOf(s: SummaryRecord): number {
  return s.end > s.start ? Number(s.end - s.start) : 0;
}

/** The public view of a record. */
export function toTraceSummary(traceId: string, s: SummaryRecord): TraceSummary {
  const serviceStats: Record<string, ServiceStats> = Object.create(null);
  for (const [name, stats] of s.services) serviceStats[name] = { ...stats };
  return {
    traceId,
    startUnixNano: s.start,
    endUnixNano: s.end,
    durationNanos: durationOf(s),
    rootServiceName: s.rootService,
    rootSpanName: s.rootName,
    spanCount: s.spanCount,
    errorCount: s.errorCount,
    serviceStats,
    bytes: s.bytes,
  };
}

const HEADER = 41;
const decoder = new TextDecoder();

/** Fixed-width numbers first (bigint times need exact u64s), then the strings as JSON. */
export function encodeSummary(s: SummaryRecord): Uint8Array {
  const text = JSON.stringify([
    s.rootService,
    s.rootName,
    [...s.services].map(([name, st]) => [name, st.spanCount, st.errorCount]),
    [...s.names],
  ]);
  // One allocation, the JSON written in place (this runs for every trace of every push).
  const out = Buffer.allocUnsafeSlow(HEADER + Buffer.byteLength(text));
  // Wrapped as DataView's setters wrap (Buffer's writers would throw out of range instead).
  out.writeBigUInt64BE(BigInt.asUintN(64, s.start), 0);
  out.writeBigUInt64BE(BigInt.asUintN(64, s.end), 8);
  out.writeBigUInt64BE(BigInt.asUintN(64, s.rootStart), 16);
  out.writeUInt32BE(s.spanCount >>> 0, 24);
  out.writeUInt32BE(s.errorCount >>> 0, 28);
  out.writeDoubleBE(s.bytes, 32);
  out.writeUInt8((s.hasRoot ? 1 : 0) | (s.namesOverflow ? 2 : 0), 40);
  out.write(text, HEADER, 'utf8');
  return out;
}

export function decodeSummary(bytes: Uint8Array): SummaryRecord {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const flags = view.getUint8(40);
  const [rootService, rootName, services, names] = JSON.parse(decoder.decode(bytes.subarray(HEADER))) as [
    string,
    string,
    [string, number, number][],
    string[],
  ];
  return {
    start: view.getBigUint64(0),
    end: view.getBigUint64(8),
    rootStart: view.getBigUint64(16),
    spanCount: view.getUint32(24),
    errorCount: view.getUint32(28),
    bytes: view.getFloat64(32),
    hasRoot: (flags & 1) !== 0,
    namesOverflow: (flags & 2) !== 0,
    rootService,
    rootName,
    services: new Map(services.map(([name, spanCount, errorCount]) => [name, { spanCount, errorCount }])),
    names: new Set(names),
  };
}
