/**
 * Reads Prometheus text exposition with parse-prometheus-text-format (a third-party parser, so
 * tests do not trust our own writer's idea of the format). That parser folds a labelled
 * histogram's series into one unlabelled object, so histogram families are read as untyped
 * ones first: `_bucket`, `_sum` and `_count` then come back as plain labelled samples.
 */
import { createRequire } from 'node:module';

interface ParsedFamily {
  name: string;
  type: string;
  metrics: Array<{ value?: string; labels?: Record<string, string> }>;
}

const parse = createRequire(import.meta.url)('parse-prometheus-text-format') as (text: string) => ParsedFamily[];

/** One sample line. */
export interface Sample {
  name: string;
  type: string;
  labels: Record<string, string>;
  value: number;
}

/** Every sample of the text, histogram series included. */
export function parseSamples(text: string): Sample[] {
  const untypedHistograms = text.replace(/^# TYPE (\S+) histogram$/gm, '# TYPE $1 untyped');
  return parse(untypedHistograms).flatMap((family) =>
    family.metrics.map((m) => ({ name: family.name, type: family.type, labels: m.labels ?? {}, value: Number(m.value) })),
  );
}

/** The families' declared types, by name (histograms as declared, before the workaround). */
export function familyTypes(text: string): Map<string, string> {
  return new Map(parse(text).map((f) => [f.name, f.type]));
}

/** The value of the one sample named `name` whose labels include `labels`; undefined if none, throws if several. */
export function sampleValue(samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  const found = samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (found.length > 1) throw new Error(`${found.length} samples of ${name} match ${JSON.stringify(labels)}`);
  return found[0]?.value;
}
