/**
 * Splitting an answer over several stream messages, as Tempo's query-frontend does (its
 * `max_grpc_streaming_packet_size`, 1 MiB by default): gRPC clients refuse messages over 4 MiB
 * unless told otherwise (grpc-go's default, and so Grafana's), and a search with a high limit or a
 * metrics query with many series can be larger than that.
 */

/** Tempo's default packet size. */
export const MAX_PACKET_BYTES = 1024 * 1024;

/**
 * The size an item counts for: its JSON length. Never below its protobuf size (JSON repeats every
 * key, quotes strings and spells 64-bit numbers out), so packets stay under the bound.
 */
export function estimatedSize(value: unknown): number {
  return JSON.stringify(value)?.length ?? 0;
}

/**
 * Splits `message[key]` over messages of about `maxBytes` each; every other field is copied into
 * each part, except `lastOnly` fields, which only the last part carries. A single item larger than
 * the bound still travels, alone. An empty list gives the message back unchanged.
 */
export function segmentList<T extends Record<string, unknown>>(
  message: T,
  key: keyof T & string,
  maxBytes: number = MAX_PACKET_BYTES,
  lastOnly: ReadonlyArray<keyof T & string> = [],
): T[] {
  const items = (message[key] as unknown[] | undefined) ?? [];
  const shell: Record<string, unknown> = { ...message, [key]: [] };
  for (const field of lastOnly) delete shell[field];
  const base = estimatedSize(shell);
  const parts: unknown[][] = [[]];
  let size = base;
  for (const item of items) {
    const itemSize = estimatedSize(item) + 1;
    if (parts.at(-1)!.length > 0 && size + itemSize > maxBytes) {
      parts.push([]);
      size = base;
    }
    parts.at(-1)!.push(item);
    size += itemSize;
  }
  return parts.map((part, i) => {
    const out: Record<string, unknown> = { ...shell, [key]: part };
    if (i === parts.length - 1) for (const field of lastOnly) if (field in message) out[field] = message[field];
    return out as T;
  });
}

/** A tags-v2 scope: its name and its tags. */
interface Scope {
  name: string;
  tags: string[];
}

/**
 * Splits `SearchTagsV2Response.scopes` at the tag level: a scope that does not fit goes on in the
 * next message under the same name (Tempo's segmentSearchTagsV2Response does the same).
 */
export function segmentScopes<T extends { scopes: Scope[] }>(message: T, maxBytes: number = MAX_PACKET_BYTES): T[] {
  const base = estimatedSize({ ...message, scopes: [] });
  const parts: Scope[][] = [[]];
  let size = base;
  for (const scope of message.scopes) {
    let current: Scope = { name: scope.name, tags: [] };
    parts.at(-1)!.push(current);
    size += estimatedSize(current) + 1;
    for (const tag of scope.tags) {
      const tagSize = estimatedSize(tag) + 1;
      if (current.tags.length > 0 && size + tagSize > maxBytes) {
        parts.push([]);
        size = base;
        current = { name: scope.name, tags: [] };
        parts.at(-1)!.push(current);
        size += estimatedSize(current) + 1;
      }
      current.tags.push(tag);
      size += tagSize;
    }
  }
  return parts.map((scopes) => ({ ...message, scopes }));
}
