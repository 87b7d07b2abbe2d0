/**
 * The one place that calls Node's undeclared Buffer methods `latin1Slice` and `hexSlice`: the
 * same text as `buf.toString('latin1' | 'hex', start, end)` without its argument checks and
 * encoding lookup, which cost more than the copy for the short keys and ids of a span.
 * buffer-private.test.ts fails when a Node release drops or changes them.
 */

interface SliceMethods {
  latin1Slice(start: number, end: number): string;
  hexSlice(start: number, end: number): string;
}

/** `buf.toString('latin1', start, end)` for bytes already known to be ASCII (or meant as latin1). */
export function latin1Slice(buf: Buffer, start: number, end: number): string {
  return (buf as unknown as SliceMethods).latin1Slice(start, end);
}

/** `buf.toString('hex', start, end)`: lower-case hex. */
export function hexSlice(buf: Buffer, start: number, end: number): string {
  return (buf as unknown as SliceMethods).hexSlice(start, end);
}
