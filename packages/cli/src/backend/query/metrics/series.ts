/**
 * Time series as the metrics engine builds them, and Tempo's `QueryRangeResponse` /
 * `QueryInstantResponse` JSON (proto3 JSON: int64 as strings, empty lists left out) they become.
 */
import type { KeyValueJson } from '../search-response.ts';
import type { Value } from '../evaluate-field.ts';
import { valueToAnyValue } from '../value-json.ts';
import type { IntervalMapper } from './time-range.ts';

export interface Label {
  name: string;
  value: Value;
}

export interface Exemplar {
  labels: Label[];
  /** NaN until filled with the series' value at that time (count and rate have no own value). */
  value: number;
  timestampMs: number;
  /** The interval the span fell in (ms rounding must not move it across a boundary). */
  interval: number;
  /** histogram_over_time: the `__bucket` the span fell in. */
  bucket?: number;
}

/** One series: a value per interval (NaN = no sample), and exemplars. */
export interface Series {
  labels: Label[];
  values: Float64Array;
  exemplars: Exemplar[];
}

/** Series by their label key. */
export type SeriesSet = Map<string, Series>;

/** The identity of a label set: same labels, same series. */
export function labelsKey(labels: Label[]): string {
  return JSON.stringify(labels.map((l) => [l.name, l.value]));
}

export function stringLabel(name: string, value: string): Label {
  return { name, value: { t: 'string', v: value } };
}

export interface SampleJson {
  /** int64 unix milliseconds, as a string. */
  timestampMs: string;
  value: number;
}

export interface ExemplarJson {
  labels: KeyValueJson[];
  value: number;
  timestampMs: string;
}

export interface TimeSeriesJson {
  labels: KeyValueJson[];
  samples: SampleJson[];
  exemplars?: ExemplarJson[];
}

/** Tempo's SearchMetrics as metrics queries fill it. */
export interface MetricsSearchMetrics {
  inspectedTraces: number;
  /** uint64, as a string; left out when 0, as Go's jsonpb does. */
  inspectedSpans?: string;
  completedJobs: number;
  totalJobs: number;
}

export interface QueryRangeResponse {
  series: TimeSeriesJson[];
  metrics: MetricsSearchMetrics;
  /** `PARTIAL` when a limit cut the answer short (COMPLETE, the default, is left out). */
  status?: 'PARTIAL';
  message?: string;
}

export interface InstantSeriesJson {
  labels: KeyValueJson[];
  value: number;
}

export interface QueryInstantResponse {
  series: InstantSeriesJson[];
  metrics: MetricsSearchMetrics;
  status?: 'PARTIAL';
  message?: string;
}

function labelsJson(labels: Label[]): KeyValueJson[] {
  return labels.map((l) => ({ key: l.name, value: valueToAnyValue(l.value) }));
}

/**
 * A series set in the response form: a sample per interval that has a value, exemplars whose
 * interval has one, series without any sample left out. Sorted by labels so answers are stable.
 */
export function seriesToJson(set: SeriesSet, mapper: IntervalMapper): TimeSeriesJson[] {
  const out: Array<{ key: string; json: TimeSeriesJson }> = [];
  for (const [key, s] of set) {
    const samples: SampleJson[] = [];
    const n = Math.min(s.values.length, mapper.count);
    for (let i = 0; i < n; i++) {
      const v = s.values[i]!;
      // JSON has no NaN or infinities (an attribute may hold a huge double).
      if (Number.isFinite(v)) samples.push({ timestampMs: String(mapper.timestampMs(i)), value: v });
    }
    if (samples.length === 0) continue;
    const json: TimeSeriesJson = { labels: labelsJson(s.labels), samples };
    const exemplars: ExemplarJson[] = [];
    for (const e of [...s.exemplars].sort((a, b) => a.timestampMs - b.timestampMs)) {
      const i = e.interval;
      if (i < 0 || i >= n || !Number.isFinite(s.values[i]!)) continue;
      const value = Number.isNaN(e.value) ? s.values[i]! : e.value;
      if (!Number.isFinite(value)) continue;
      exemplars.push({ labels: labelsJson(e.labels), value, timestampMs: String(e.timestampMs) });
    }
    if (exemplars.length) json.exemplars = exemplars;
    out.push({ key, json });
  }
  out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return out.map((x) => x.json);
}

/** A range answer as an instant one: the single interval's value per series. */
export function seriesToInstantJson(set: SeriesSet): InstantSeriesJson[] {
  const out: Array<{ key: string; json: InstantSeriesJson }> = [];
  for (const [key, s] of set) {
    const v = s.values[0];
    if (v === undefined || !Number.isFinite(v)) continue;
    out.push({ key, json: { labels: labelsJson(s.labels), value: v } });
  }
  out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return out.map((x) => x.json);
}
