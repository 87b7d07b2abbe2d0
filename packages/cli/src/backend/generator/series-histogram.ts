/**
 * prom-client's Histogram with a fast path for label sets the caller keeps. `observe(labels, v)`
 * builds a hash string from the labels on every call (most of the generator's cost per span);
 * `observeSeries` finds the series' entry once per label object and then adds to it directly.
 * The registry renders it exactly as a plain Histogram: it is one (series-histogram.test.ts
 * compares the text of both on the same observations).
 */
import { Histogram, type LabelValues } from 'prom-client';

/** What prom-client keeps per series (lib/histogram.js `createBaseValues`). */
interface SeriesEntry {
  labels: Record<string, unknown>;
  bucketValues: Record<number, number>;
  sum: number;
  count: number;
}

/** The Histogram fields the fast path reads. */
interface HistogramInternals {
  hashMap: Record<string, SeriesEntry>;
  upperBounds: number[];
  labelNames: string[];
}

/** A Histogram whose callers may pass a kept, never-mutated label object to {@link observeSeries}. */
export class SeriesHistogram<T extends string> extends Histogram<T> {
  #entries = new WeakMap<object, SeriesEntry>();
  #entriesOf: unknown;

  /**
   * The same as `observe(labels, value)`. `labels` must hold every label name and not change
   * afterwards: its series is looked up once and then updated in place.
   */
  observeSeries(labels: LabelValues<T>, value: number): void {
    const self = this as unknown as HistogramInternals;
    // reset() replaces the map: entries found before belong to the old one.
    if (self.hashMap !== this.#entriesOf) {
      this.#entries = new WeakMap();
      this.#entriesOf = self.hashMap;
    }
    const entry = this.#entries.get(labels);
    if (!entry || !Number.isFinite(value)) {
      this.observe(labels, value); // validates, creates the series, throws on a bad value
      const created = findEntry(self, labels);
      if (created) this.#entries.set(labels, created);
      return;
    }
    entry.sum += value;
    entry.count += 1;
    const bounds = self.upperBounds;
    for (let i = 0; i < bounds.length; i++) {
      if (value <= bounds[i]) {
        entry.bucketValues[bounds[i]] += 1;
        return;
      }
    }
  }
}

/** The entry holding `labels`' series (same value under every label name). */
function findEntry(h: HistogramInternals, labels: Record<string, unknown>): SeriesEntry | undefined {
  for (const entry of Object.values(h.hashMap)) {
    if (h.labelNames.every((name) => entry.labels[name] === labels[name])) return entry;
  }
  return undefined;
}
