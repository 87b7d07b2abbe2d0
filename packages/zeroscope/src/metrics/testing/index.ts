/**
 * Test helpers: read what a `/metrics` endpoint serves. Prometheus text is parsed with
 * parse-prometheus-text-format (a dev dependency, so this module is for tests only); OpenMetrics
 * exemplars, which that parser does not know, are read line by line.
 */
import { createRequire } from 'node:module';

/** One sample of a family as the parser returns it (values are strings). */
export interface Sample {
  labels?: Record<string, string>;
  value?: string;
  /** Histograms: upper bound (`le`) → cumulative count. */
  buckets?: Record<string, string>;
  count?: string;
  sum?: string;
}

/** One metric family. */
export interface Family {
  name: string;
  help: string;
  type: string;
  metrics: Sample[];
}

const require = createRequire(import.meta.url);
const parse = require('parse-prometheus-text-format') as (text: string) => Family[];

/** Parses Prometheus text format 0.0.4. */
export function parseMetrics(text: string): Family[] {
  return parse(text);
}

/** The family named `name`; fails the test when missing. */
export function family(families: Family[], name: string): Family {
  const found = families.find((f) => f.name === name);
  if (found === undefined) throw new Error(`no metric family ${name} in: ${families.map((f) => f.name).join(', ')}`);
  return found;
}

/** Sum of the samples of counter `name` whose labels include `labels`. */
export function counterValue(families: Family[], name: string, labels: Record<string, string> = {}): number {
  return family(families, name)
    .metrics.filter((sample) => Object.entries(labels).every(([k, v]) => sample.labels?.[k] === v))
    .reduce((sum, sample) => sum + Number(sample.value), 0);
}

/**
 * The cumulative buckets of histogram `name` (`le` → count). The parser merges the buckets of
 * every label set into one map, so this is meaningful for a histogram with one label set.
 */
export function histogramBuckets(families: Family[], name: string): Map<string, number> {
  const samples = family(families, name).metrics.filter((s) => s.buckets !== undefined);
  if (samples.length !== 1) throw new Error(`${name}: expected one bucket set, got ${samples.length}`);
  return new Map(Object.entries(samples[0].buckets ?? {}).map(([le, count]) => [le, Number(count)]));
}

/** An exemplar on an OpenMetrics sample line. */
export interface Exemplar {
  /** The sample's name (`http_server_requests_duration_ms_bucket`). */
  metric: string;
  /** The sample's labels. */
  labels: Record<string, string>;
  /** The exemplar's own labels (`trace_id`, `span_id`). */
  exemplar: Record<string, string>;
  value: number;
}

const SAMPLE_WITH_EXEMPLAR = /^([a-zA-Z_:][\w:]*)(?:\{(.*?)\})? \S+ # \{(.*?)\} (\S+)/;

/** Every exemplar in an OpenMetrics text whose sample name starts with `prefix`. */
export function exemplarsOf(openMetricsText: string, prefix = ''): Exemplar[] {
  const found: Exemplar[] = [];
  for (const line of openMetricsText.split('\n')) {
    const match = SAMPLE_WITH_EXEMPLAR.exec(line);
    if (match === null || !match[1].startsWith(prefix)) continue;
    found.push({ metric: match[1], labels: labelsOf(match[2] ?? ''), exemplar: labelsOf(match[3]), value: Number(match[4]) });
  }
  return found;
}

function labelsOf(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [, key, value] of text.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[key] = value;
  return labels;
}
