/**
 * The retry delay a gRPC server attaches to a failed call: `google.rpc.RetryInfo` inside the
 * `google.rpc.Status` of the `grpc-status-details-bin` trailer (the OTLP specification's way for a
 * collector to say "retry after …"). Read by hand: three small messages, of which only
 * `Status.details` (3) → `Any` {type_url (1), value (2)} → `RetryInfo.retry_delay` (1) →
 * `Duration` {seconds (1), nanos (2)} matter; grpc-js does not decode status details, and a
 * protobuf runtime is not worth loading for them.
 */

const RETRY_INFO_TYPE = 'type.googleapis.com/google.rpc.RetryInfo';

/** Milliseconds the server's RetryInfo asks the client to wait, or undefined if there is none (or it does not parse). */
export function retryDelayMillis(statusDetails: Uint8Array | undefined): number | undefined {
  if (statusDetails === undefined) return undefined;
  try {
    for (const detail of fields(statusDetails, 3)) {
      const [typeUrl] = fields(detail, 1);
      if (typeUrl === undefined || Buffer.from(typeUrl).toString('utf8') !== RETRY_INFO_TYPE) continue;
      const [value] = fields(detail, 2);
      const [delay] = value === undefined ? [] : fields(value, 1);
      if (delay === undefined) return undefined;
      const seconds = varintField(delay, 1);
      const nanos = varintField(delay, 2);
      return Math.max(0, seconds * 1000 + Math.floor(nanos / 1e6));
    }
  } catch {
    // Malformed details: as if there were none.
  }
  return undefined;
}

/** The length-delimited fields numbered `field` of a message, in order. */
function fields(message: Uint8Array, field: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  walk(message, (number, wireType, value) => {
    if (number === field && wireType === 2) out.push(value as Uint8Array);
  });
  return out;
}

/** The last varint field numbered `field` (protobuf's rule for repeated scalars), 0 if absent. */
function varintField(message: Uint8Array, field: number): number {
  let found = 0;
  walk(message, (number, wireType, value) => {
    if (number === field && wireType === 0) found = value as number;
  });
  return found;
}

/** Calls `visit` for every field of `message`; throws on a truncated or unknown encoding. */
function walk(message: Uint8Array, visit: (field: number, wireType: number, value: number | Uint8Array) => void): void {
  let pos = 0;
  const varint = (): number => {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (pos >= message.length) throw new Error('truncated varint');
      const byte = message[pos++]!;
      result += (byte & 0x7f) * scale;
      if (byte < 0x80) return result;
      scale *= 128;
    }
    throw new Error('varint too long');
  };
  while (pos < message.length) {
    const key = varint();
    const field = Math.floor(key / 8);
    const wireType = key % 8;
    if (wireType === 0) visit(field, wireType, varint());
    else if (wireType === 2) {
      const length = varint();
      if (pos + length > message.length) throw new Error('truncated field');
      visit(field, wireType, message.subarray(pos, pos + length));
      pos += length;
    } else if (wireType === 1) pos += 8;
    else if (wireType === 5) pos += 4;
    else throw new Error(`unsupported wire type ${wireType}`);
  }
  if (pos > message.length) throw new Error('truncated field');
}
