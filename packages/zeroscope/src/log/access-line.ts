/**
 * The access line built by hand: the same bytes pino writes for
 * `log[level](fields, msg)` (proven in access-line.test.ts), without pino's generic path per line
 * (the mixin's object and its merge, the walk over every key with its type switch and key
 * escaping, a multistream's bookkeeping). Its prefix — level, time, the logger's bindings — is
 * pino's own, read from the logger, so a `setBindings` or level change still shows.
 */
import pino, { type Logger } from 'pino';
import { jsonString } from './json-string.ts';
import { formatPlain } from './plain-stream.ts';
import { lineSpanContext } from './trace-mixin.ts';

const { lsCacheSym, timeSym, chindingsSym, endSym } = pino.symbols;

/** The fields of an access line, in the order they are written. */
export interface AccessFields {
  kind: 'http' | 'rpc' | 'rpc-client';
  method: string;
  route: string | undefined;
  path: string | undefined;
  status: number;
  code: string | undefined;
  duration_ms: number;
  slow: true | undefined;
}

/**
 * The json line pino would write for `log[level](fields, msg)` with the trace mixin, or undefined
 * when a value is of a type the access line never has (the caller then logs through pino).
 */
export function accessLineJson(log: Logger, level: number, fields: AccessFields, msg: string): string | undefined {
  // pino's own parts of the line (pino.symbols is its documented way in).
  const internals = log as unknown as Record<symbol, unknown>;
  const levelText = (internals[lsCacheSym] as Record<number, string>)[level]!;
  let line = levelText + (internals[timeSym] as () => string).call(log) + (internals[chindingsSym] as string);
  const spanContext = lineSpanContext();
  if (spanContext !== undefined) line += `,"trace_id":"${spanContext.traceId}","span_id":"${spanContext.spanId}"`;
  const method = value(fields.method);
  const route = value(fields.route);
  const path = value(fields.path);
  const status = value(fields.status);
  const code = value(fields.code);
  const duration = value(fields.duration_ms);
  if (method === null || route === null || path === null || status === null || code === null || duration === null || typeof msg !== 'string') return undefined;
  if (fields.kind === 'http') line += ',"kind":"http"';
  else if (fields.kind === 'rpc') line += ',"kind":"rpc"';
  else return undefined;
  if (method !== undefined) line += `,"method":${method}`;
  if (route !== undefined) line += `,"route":${route}`;
  if (path !== undefined) line += `,"path":${path}`;
  if (status !== undefined) line += `,"status":${status}`;
  if (code !== undefined) line += `,"code":${code}`;
  if (duration !== undefined) line += `,"duration_ms":${duration}`;
  if (fields.slow === true) line += ',"slow":true';
  return `${line},"msg":${jsonString(msg)}${internals[endSym] as string}`;
}

/** A value as pino writes it: undefined is left out, null means a type only pino's walk handles. */
function value(v: unknown): string | undefined | null {
  switch (typeof v) {
    case 'string':
      return jsonString(v);
    case 'number':
      return Number.isFinite(v) ? `${v}` : 'null';
    case 'undefined':
      return undefined;
    default:
      return null;
  }
}

/**
 * The plain line (`Encoding: plain`) pino's plain stream would write for the same call: the trace
 * fields first, then the access fields, as the mixin's merge orders them.
 */
export function accessLinePlain(level: number, fields: AccessFields, msg: string): string {
  const spanContext = lineSpanContext();
  const all = spanContext === undefined ? fields : { trace_id: spanContext.traceId, span_id: spanContext.spanId, ...fields };
  return formatPlain(new Date(), level, msg, all as unknown as Record<string, unknown>);
}
