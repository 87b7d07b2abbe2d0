/**
 * Parsing of the query API's parameters, with Tempo's rules and (where Tempo has them) its error
 * wording. Every function throws a typed ApiError; handlers never see a half-parsed value.
 */
import { BadParamError, BadTraceIdError } from './errors.ts';
import { URL_PARAM_END, URL_PARAM_START } from './paths.ts';

const NANOS_PER_UNIT: Record<string, number> = {
  ns: 1,
  us: 1e3,
  'µs': 1e3, // U+00B5 micro sign, as Go accepts
  'μs': 1e3, // U+03BC Greek mu, as Go accepts
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

/**
 * Parses a Go `time.ParseDuration` string (`100ms`, `1.5s`, `1h30m`) into nanoseconds.
 * `extraUnits` lets a caller accept more units (the CLI's retention takes `d`); negative
 * durations are refused because every caller here means a length of time.
 * @example parseGoDuration('1.5s') // 1_500_000_000
 */
export function parseGoDuration(text: string, extraUnits: Record<string, number> = {}): number {
  const invalid = () => new Error(`time: invalid duration "${text}"`);
  let rest = text.startsWith('+') ? text.slice(1) : text;
  if (rest.startsWith('-')) throw new Error(`time: negative duration "${text}"`);
  if (rest === '0') return 0;
  if (rest === '') throw invalid();
  let total = 0;
  while (rest !== '') {
    const match = /^(\d*)(?:\.(\d*))?/.exec(rest);
    const whole = match?.[1] ?? '';
    const fraction = match?.[2] ?? '';
    if (!match || (whole === '' && fraction === '')) throw invalid();
    rest = rest.slice(match[0].length);
    const unit = /^[^\d.]+/.exec(rest)?.[0];
    if (unit === undefined) throw new Error(`time: missing unit in duration "${text}"`);
    const scale = NANOS_PER_UNIT[unit] ?? extraUnits[unit];
    if (scale === undefined) throw new Error(`time: unknown unit "${unit}" in duration "${text}"`);
    rest = rest.slice(unit.length);
    total += Number(`${whole || '0'}.${fraction || '0'}`) * scale;
  }
  if (!Number.isFinite(total)) throw invalid();
  return Math.round(total);
}

/** A duration parameter (`minDuration`, `maxDuration`) in nanoseconds, or undefined when absent. */
export function durationParam(params: URLSearchParams, name: string): number | undefined {
  const raw = params.get(name);
  if (raw === null || raw === '') return undefined;
  try {
    return parseGoDuration(raw);
  } catch (err) {
    throw new BadParamError(`invalid ${name}: ${(err as Error).message}`, { cause: err });
  }
}

/** A positive integer parameter (`limit`, `spss`), or `fallback` when absent. */
export function positiveIntParam(params: URLSearchParams, name: string, fallback: number): number {
  const raw = params.get(name);
  if (raw === null || raw === '') return fallback;
  if (!/^[+-]?\d+$/.test(raw)) throw new BadParamError(`invalid ${name}: "${raw}" is not an integer`);
  const value = Number(raw);
  if (value <= 0 || !Number.isSafeInteger(value)) {
    throw new BadParamError(`invalid ${name}: must be a positive number`);
  }
  return value;
}

/** A unix-seconds parameter (`start`, `end`) as unix nanoseconds, or undefined when absent or 0. */
export function unixSecondsParam(params: URLSearchParams, name: string): bigint | undefined {
  const raw = params.get(name);
  if (raw === null || raw === '') return undefined;
  if (!/^\d+$/.test(raw)) throw new BadParamError(`invalid ${name}: "${raw}" is not a unix time in seconds`);
  const seconds = BigInt(raw);
  // Tempo treats 0 as "not given".
  return seconds === 0n ? undefined : seconds * 1_000_000_000n;
}

/** The `start`/`end` pair; Tempo requires start before end when either is given. */
export function timeRangeParams(params: URLSearchParams): { startUnixNano?: bigint; endUnixNano?: bigint } {
  const startUnixNano = unixSecondsParam(params, URL_PARAM_START);
  const endUnixNano = unixSecondsParam(params, URL_PARAM_END);
  if (startUnixNano !== undefined && endUnixNano !== undefined && endUnixNano <= startUnixNano) {
    throw new BadParamError(
      `http parameter start must be before end. received start=${params.get(URL_PARAM_START)} end=${params.get(URL_PARAM_END)}`,
    );
  }
  const range: { startUnixNano?: bigint; endUnixNano?: bigint } = {};
  if (startUnixNano !== undefined) range.startUnixNano = startUnixNano;
  if (endUnixNano !== undefined) range.endUnixNano = endUnixNano;
  return range;
}

/**
 * A trace id from the URL as 32 lower-case hex chars. Like Tempo, accepts either case and ids
 * shorter than 128 bits (left-padded with zeros, so a 64-bit Zipkin id works).
 */
export function parseTraceIdHex(text: string): string {
  for (let i = 0; i < text.length; i++) {
    if (!/[0-9a-fA-F]/.test(text[i]!)) {
      throw new BadTraceIdError(
        `trace IDs can only contain hex characters: invalid character '${text[i]}' at position ${i + 1}`,
      );
    }
  }
  if (text === '') throw new BadTraceIdError('please provide a traceID');
  const even = text.length % 2 === 1 ? `0${text}` : text;
  if (even.length > 32) throw new BadTraceIdError("trace IDs can't be larger than 128 bits");
  return even.toLowerCase().padStart(32, '0');
}
