/** Number and time formatting shared by the pages. */

/** A duration in nanoseconds as a short human string: 950ns, 12.3µs, 4.56ms, 1.2s, 3m 5s. */
export function formatDuration(ns: number): string {
  if (!Number.isFinite(ns) || ns < 0) return '–';
  if (ns < 1_000) return `${Math.round(ns)}ns`;
  if (ns < 1_000_000) return `${trim(ns / 1_000)}µs`;
  if (ns < 1_000_000_000) return `${trim(ns / 1_000_000)}ms`;
  const s = ns / 1_000_000_000;
  if (s < 60) return `${trim(s)}s`;
  const m = Math.floor(s / 60);
  return `${m}m ${Math.round(s - m * 60)}s`;
}

/**
 * Whole milliseconds (Tempo's search `durationMs`) without invented decimals: 9ms, 1.234s, 2m 5s.
 */
export function formatMillis(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '–';
  const whole = Math.floor(ms);
  if (whole < 1000) return `${whole}ms`;
  if (whole < 60_000) return `${(whole / 1000).toFixed(3).replace(/\.?0+$/, '')}s`;
  const m = Math.floor(whole / 60_000);
  return `${m}m ${Math.round((whole - m * 60_000) / 1000)}s`;
}

/** A duration for an axis label: like formatDuration without trailing zeros (20ms, 1.5s, 250µs). */
export function formatTick(ns: number): string {
  return formatDuration(ns).replace(/(\.\d*?)0+(?=[^\d.])/, '$1').replace(/\.(?=[^\d])/, '');
}

/** Requests per second with three significant digits: 12.3 req/s, 0.000556 req/s. */
export function formatRate(perSecond: number): string {
  if (!Number.isFinite(perSecond) || perSecond < 0) return '–';
  if (perSecond === 0) return '0 req/s';
  const text = perSecond >= 1000 ? perSecond.toFixed(0) : String(Number(perSecond.toPrecision(3)));
  return `${text} req/s`;
}

/** A ratio as a percentage with one decimal: 0.5 → 50.0%. */
export function formatPercent(ratio: number): string {
  return Number.isFinite(ratio) ? `${(ratio * 100).toFixed(1)}%` : '–';
}

/** "1 service", "3 services". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function trim(n: number): string {
  return n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2);
}

/** Unix nanoseconds (string from the API) as a local date-time, '–' when missing. */
export function formatUnixNanos(nanos: string | bigint | undefined): string {
  if (nanos === undefined || nanos === '') return '–';
  let ms: number;
  try {
    ms = Number(BigInt(nanos) / 1_000_000n);
  } catch {
    return '–';
  }
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return '–';
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** A string of nanoseconds to bigint; 0n for garbage so one bad span cannot break a page. */
export function toNanos(value: string | number | undefined): bigint {
  if (value === undefined || value === '') return 0n;
  try {
    return typeof value === 'number' ? BigInt(Math.trunc(value)) : BigInt(value);
  } catch {
    return 0n;
  }
}

/** Nearest-rank percentile of numbers (p in 0..100); NaN for an empty list. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/** Unix ms as a local "HH:MM:SS". */
export const clockOf = (ms: number) => formatUnixNanos(BigInt(Math.round(ms)) * 1_000_000n).slice(11, 19);
