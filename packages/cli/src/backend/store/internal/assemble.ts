/**
 * Reassembles a trace body as encoded OTLP `TracesData` straight from the stored bytes, without
 * decoding a single span: protobuf lets a message be built by concatenating its fields, so each
 * group is its stored header followed by length-delimited children.
 */
import { REF_BYTES } from './prepare.ts';
import { bytesToHex } from '../../otlp/index.ts';

const TAG_RESOURCE_SPANS = 0x0a; // TracesData.resource_spans = 1, wire type 2
const TAG_SCOPE_SPANS = 0x12; // ResourceSpans.scope_spans = 2, wire type 2
const TAG_SPANS = 0x12; // ScopeSpans.spans = 2, wire type 2

interface ScopeGroup {
  header: Uint8Array;
  spans: Uint8Array[];
  size: number;
}

interface ResourceGroup {
  header: Uint8Array;
  scopes: Map<string, ScopeGroup>;
  size: number;
}

/**
 * `values` are stored span values (resource ref, scope ref, Span bytes); `blob` looks a header up
 * by its ref in hex. Groups keep the order in which their first span comes.
 */
export function assembleTracesData(
  values: Iterable<Uint8Array>,
  blob: (refHex: string) => Uint8Array | undefined,
): Uint8Array {
  const resources = new Map<string, ResourceGroup>();
  for (const value of values) {
    const resHex = bytesToHex(value.subarray(0, REF_BYTES));
    const scopeHex = bytesToHex(value.subarray(REF_BYTES, 2 * REF_BYTES));
    let res = resources.get(resHex);
    if (!res) resources.set(resHex, (res = { header: blob(resHex) ?? new Uint8Array(0), scopes: new Map(), size: 0 }));
    let scope = res.scopes.get(scopeHex);
    if (!scope) res.scopes.set(scopeHex, (scope = { header: blob(scopeHex) ?? new Uint8Array(0), spans: [], size: 0 }));
    scope.spans.push(value.subarray(2 * REF_BYTES));
  }

  let total = 0;
  for (const res of resources.values()) {
    res.size = res.header.length;
    for (const scope of res.scopes.values()) {
      scope.size = scope.header.length;
      for (const span of scope.spans) scope.size += fieldSize(span.length);
      res.size += fieldSize(scope.size);
    }
    total += fieldSize(res.size);
  }

  const out = new Uint8Array(total);
  let pos = 0;
  const put = (bytes: Uint8Array): void => {
    out.set(bytes, pos);
    pos += bytes.length;
  };
  const head = (tag: number, length: number): void => {
    out[pos++] = tag;
    pos = writeVarint(out, pos, length);
  };
  for (const res of resources.values()) {
    head(TAG_RESOURCE_SPANS, res.size);
    put(res.header);
    for (const scope of res.scopes.values()) {
      head(TAG_SCOPE_SPANS, scope.size);
      put(scope.header);
      for (const span of scope.spans) {
        head(TAG_SPANS, span.length);
        put(span);
      }
    }
  }
  return out;
}

/** Bytes of a length-delimited field with a one-byte tag. */
function fieldSize(length: number): number {
  return 1 + varintSize(length) + length;
}

function varintSize(n: number): number {
  let size = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 128);
    size++;
  }
  return size;
}

function writeVarint(out: Uint8Array, pos: number, n: number): number {
  while (n >= 0x80) {
    out[pos++] = (n % 128) | 0x80;
    n = Math.floor(n / 128);
  }
  out[pos++] = n;
  return pos;
}
