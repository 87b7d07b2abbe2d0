/**
 * Zipkin v2 JSON (`POST /api/v2/spans`) to OTLP: the reverse of how OpenTelemetry's Zipkin
 * exporters map spans. Tags are strings in Zipkin, so attribute types are not recovered ("200"
 * stays a string). The OTel exporters flatten resource attributes into tags; tags with a
 * resource-only prefix (service., telemetry., host., ...) go back to the resource.
 */
import { createHash } from 'node:crypto';
import { ZipkinDecodeError } from './errors.ts';
import { otlpTypes } from './schema.ts';
import type { ExportTraceServiceRequest } from './model/types.ts';
import { wellFormedJson } from './well-formed.ts';

const KINDS: Record<string, number> = { CLIENT: 3, SERVER: 2, PRODUCER: 4, CONSUMER: 5 };
const INTERNAL = 1;
const STATUS_CODES: Record<string, number> = { UNSET: 0, OK: 1, ERROR: 2 };
const RESOURCE_PREFIXES = ['service.', 'telemetry.', 'process.', 'host.', 'os.', 'container.', 'k8s.', 'cloud.', 'deployment.', 'device.'];
const DROPPED_COUNT_TAGS: Record<string, string> = {
  'otel.dropped_attributes_count': 'droppedAttributesCount',
  'otel.dropped_events_count': 'droppedEventsCount',
  'otel.dropped_links_count': 'droppedLinksCount',
};

type Obj = Record<string, unknown>;
type Attr = { key: string; value: Obj };

/**
 * Converts a parsed Zipkin v2 JSON body (an array of spans) to an ExportTraceServiceRequest,
 * one ResourceSpans per distinct resource.
 * @throws ZipkinDecodeError naming the span index and field, e.g. `spans[2].traceId: ...`.
 */
export function decodeZipkinSpans(json: unknown): ExportTraceServiceRequest {
  if (!Array.isArray(json)) throw new ZipkinDecodeError('expected a JSON array of spans');
  // Tag names are object keys: repaired with the values (lone surrogates to U+FFFD).
  wellFormedJson(json);
  const resources = new Map<string, { attributes: Attr[]; scopes: Map<string, { scope: Obj; spans: Obj[] }> }>();
  json.forEach((raw, i) => {
    const { resource, scope, span } = convertSpan(raw, `spans[${i}]`);
    const resourceKey = JSON.stringify(resource);
    let r = resources.get(resourceKey);
    if (!r) resources.set(resourceKey, (r = { attributes: resource, scopes: new Map() }));
    const scopeKey = JSON.stringify(scope);
    let s = r.scopes.get(scopeKey);
    if (!s) r.scopes.set(scopeKey, (s = { scope, spans: [] }));
    s.spans.push(span);
  });
  const object = {
    resourceSpans: [...resources.values()].map((r) => ({
      resource: { attributes: r.attributes },
      scopeSpans: [...r.scopes.values()].map((s) => ({ scope: s.scope, spans: s.spans })),
    })),
  };
  return otlpTypes.ExportTraceServiceRequest.fromObject(object) as unknown as ExportTraceServiceRequest;
}

function convertSpan(raw: unknown, at: string): { resource: Attr[]; scope: Obj; span: Obj } {
  const z = object(raw, at);
  const traceId = hexId(z.traceId, 32, `${at}.traceId`);
  const zipkinId = hexId(z.id, 16, `${at}.id`);
  const parentId = z.parentId === undefined || z.parentId === null || z.parentId === '' ? undefined : hexId(z.parentId, 16, `${at}.parentId`);
  const name = optional(z.name, 'string', `${at}.name`) ?? '';
  const kindName = optional(z.kind, 'string', `${at}.kind`);
  if (kindName !== undefined && !Object.hasOwn(KINDS, kindName)) {
    throw new ZipkinDecodeError(`${at}.kind: expected CLIENT, SERVER, PRODUCER or CONSUMER, got ${JSON.stringify(kindName)}`);
  }
  const kind = kindName === undefined ? INTERNAL : KINDS[kindName];
  if (z.timestamp === undefined || z.timestamp === null) throw new ZipkinDecodeError(`${at}.timestamp: required (epoch microseconds)`);
  const start = micros(z.timestamp, `${at}.timestamp`);
  const duration = z.duration === undefined || z.duration === null ? 0n : micros(z.duration, `${at}.duration`);
  optional(z.debug, 'boolean', `${at}.debug`);
  const shared = optional(z.shared, 'boolean', `${at}.shared`) ?? false;
  const local = endpoint(z.localEndpoint, `${at}.localEndpoint`);
  const remote = endpoint(z.remoteEndpoint, `${at}.remoteEndpoint`);

  const resource: Attr[] = [];
  const attributes: Attr[] = [];
  const scope: Obj = {};
  const status: Obj = {};
  const span: Obj = {};
  let errorTag: string | undefined;
  for (const [key, value] of Object.entries(tags(z.tags, `${at}.tags`))) {
    if (key === 'otel.status_code' && Object.hasOwn(STATUS_CODES, value)) status.code = STATUS_CODES[value];
    else if (key === 'error') errorTag = value;
    else if (key === 'otel.status_description') status.message = value;
    else if (key === 'otel.scope.name' || key === 'otel.library.name') scope.name = value;
    else if (key === 'otel.scope.version' || key === 'otel.library.version') scope.version = value;
    else if (Object.hasOwn(DROPPED_COUNT_TAGS, key) && /^\d+$/.test(value)) span[DROPPED_COUNT_TAGS[key]] = Number(value);
    else if (key === 'service.name') continue; // localEndpoint.serviceName is authoritative
    else (RESOURCE_PREFIXES.some((p) => key.startsWith(p)) ? resource : attributes).push(str(key, value));
  }
  if (errorTag !== undefined) {
    // Brave sets `error` to a message (or "true"); OTel exporters to the status message.
    if (status.code === undefined) status.code = STATUS_CODES.ERROR;
    if (status.message === undefined && errorTag !== 'true') status.message = errorTag;
  }
  if (local?.serviceName) resource.unshift(str('service.name', local.serviceName));
  if (local?.address) attributes.push(str('network.local.address', local.address));
  if (local?.port) attributes.push(int('network.local.port', local.port));
  if (remote?.serviceName) attributes.push(str('peer.service', remote.serviceName));
  if (remote?.address) attributes.push(str('network.peer.address', remote.address));
  if (remote?.port) attributes.push(int('network.peer.port', remote.port));

  // A shared span is the server half of a span id that the client also reported. OTLP wants
  // one id per span, so the server half gets its own (derived, stable) id as the client's child.
  const isSharedServer = shared && kind === KINDS.SERVER;
  const spanId = isSharedServer ? derivedSpanId(traceId, zipkinId) : zipkinId;
  const parent = isSharedServer ? zipkinId : parentId;

  Object.assign(span, {
    traceId: Buffer.from(traceId, 'hex'),
    spanId: Buffer.from(spanId, 'hex'),
    parentSpanId: parent ? Buffer.from(parent, 'hex') : undefined,
    name,
    kind,
    startTimeUnixNano: start.toString(),
    endTimeUnixNano: (start + duration).toString(),
    attributes,
    events: annotations(z.annotations, `${at}.annotations`),
    status: Object.keys(status).length > 0 ? status : undefined,
  });
  return { resource, scope, span };
}

function object(value: unknown, at: string): Obj {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ZipkinDecodeError(`${at}: expected an object`);
  return value as Obj;
}

function optional<T extends 'string' | 'boolean'>(value: unknown, type: T, at: string): (T extends 'string' ? string : boolean) | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== type) throw new ZipkinDecodeError(`${at}: expected a ${type}`);
  return value as T extends 'string' ? string : boolean;
}

/** Zipkin ids are up to 16 or 32 hex characters; shorter ones are left-padded as Zipkin does. */
function hexId(value: unknown, maxChars: number, at: string): string {
  if (typeof value !== 'string' || !/^[0-9a-fA-F]+$/.test(value) || value.length > maxChars) {
    throw new ZipkinDecodeError(`${at}: expected up to ${maxChars} hex characters`);
  }
  const id = value.toLowerCase().padStart(maxChars, '0');
  if (/^0+$/.test(id)) throw new ZipkinDecodeError(`${at}: must not be all zeros`);
  return id;
}

/** Epoch or duration microseconds (OTel exporters send fractions) as nanoseconds. */
function micros(value: unknown, at: string): bigint {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new ZipkinDecodeError(`${at}: expected a non-negative number of microseconds`);
  }
  const whole = Math.floor(value);
  return BigInt(whole) * 1000n + BigInt(Math.round((value - whole) * 1000));
}

function endpoint(value: unknown, at: string): { serviceName?: string; address?: string; port?: number } | undefined {
  if (value === undefined || value === null) return undefined;
  const e = object(value, at);
  const port = e.port;
  if (port !== undefined && port !== null && !(Number.isInteger(port) && (port as number) >= 0 && (port as number) <= 65535)) {
    throw new ZipkinDecodeError(`${at}.port: expected an integer 0-65535`);
  }
  const ipv4 = optional(e.ipv4, 'string', `${at}.ipv4`);
  const ipv6 = optional(e.ipv6, 'string', `${at}.ipv6`);
  return {
    serviceName: optional(e.serviceName, 'string', `${at}.serviceName`),
    address: ipv4 || ipv6 || undefined,
    port: (port as number | null | undefined) || undefined,
  };
}

function tags(value: unknown, at: string): Record<string, string> {
  if (value === undefined || value === null) return {};
  // Null prototype: a tag named `__proto__` or `constructor` is a tag like any other.
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [key, v] of Object.entries(object(value, at))) {
    // The API says strings; some clients send numbers or booleans, which lose nothing as text.
    if (typeof v === 'string') out[key] = v;
    else if (typeof v === 'number' || typeof v === 'boolean') out[key] = String(v);
    else throw new ZipkinDecodeError(`${at}.${key}: expected a string`);
  }
  return out;
}

function annotations(value: unknown, at: string): Obj[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new ZipkinDecodeError(`${at}: expected an array`);
  return value.map((raw, i) => {
    const a = object(raw, `${at}[${i}]`);
    const name = optional(a.value, 'string', `${at}[${i}].value`);
    if (name === undefined) throw new ZipkinDecodeError(`${at}[${i}].value: required`);
    return { timeUnixNano: micros(a.timestamp, `${at}[${i}].timestamp`).toString(), name };
  });
}

function derivedSpanId(traceId: string, spanId: string): string {
  const id = createHash('sha256').update(`${traceId}/${spanId}/shared`).digest('hex').slice(0, 16);
  return /^0+$/.test(id) ? '0000000000000001' : id;
}

const str = (key: string, value: string): Attr => ({ key, value: { stringValue: value } });
const int = (key: string, value: number): Attr => ({ key, value: { intValue: value } });
