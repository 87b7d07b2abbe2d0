/**
 * Child process of the durability tests: pushes to the store in a few concurrent loops and prints
 * `acked <loop> <n>` as soon as each push resolves, until the parent SIGKILLs it.
 * Usage: node --import tsx durability-child.ts <dataDir> [split]
 * Whole (default): each push is a whole trace of its own. `split`: the loops are services
 * exporting their parts of shared traces, loop i's n-th push being its part of trace n, so
 * traces are merged across pushes, in one group commit or several, when the kill lands.
 */
import { openStore } from '../lmdb-store.ts';
import { decodedRequest, spanIdOf, traceIdOf, type SpanSpec } from '../../otlp/testing/trace-builder.ts';

export const CHILD_LOOPS = 3;
export const CHILD_SPANS_PER_PUSH = 200;
/** Spans of each loop's part of a split trace (small, as a service exporting as it goes sends). */
export const CHILD_SPANS_PER_PART = 2;

/** The trace a loop's n-th push writes. */
export function childTraceId(loop: number, n: number): string {
  return traceIdOf(n, loop + 1);
}

/** The trace whose part every loop's n-th push writes, in split mode. */
export function splitTraceId(n: number): string {
  return traceIdOf(n, 0x40);
}

/** The service of a loop's parts, in split mode. */
export function partService(loop: number): string {
  return `part-${loop}`;
}

function wholeSpans(dataDir: string, index: number, n: number, base: bigint): SpanSpec[] {
  return Array.from({ length: CHILD_SPANS_PER_PUSH }, (_, k) => ({
    traceId: childTraceId(index, n),
    spanId: spanIdOf(k + 1),
    parentSpanId: k === 0 ? undefined : spanIdOf(1),
    name: `op-${k % 7}`,
    start: base + BigInt(k),
    end: base + BigInt(k) + 1000n,
    attributes: { 'loop.index': index, 'push.n': n, dir: dataDir },
  }));
}

/** Loop `index`'s part of split trace n: loop 0 holds the root, whose start is the earliest. */
function partSpans(index: number, n: number, base: bigint): SpanSpec[] {
  return Array.from({ length: CHILD_SPANS_PER_PART }, (_, k) => {
    const id = index * CHILD_SPANS_PER_PART + k + 1;
    return {
      traceId: splitTraceId(n),
      spanId: spanIdOf(id),
      parentSpanId: id === 1 ? undefined : spanIdOf(1),
      name: `part-${index}-op-${k}`,
      start: base + BigInt(100 * index + k),
      end: base + BigInt(100 * index + k) + 1000n,
      attributes: { 'loop.index': index, 'push.n': n },
    };
  });
}

async function loop(dataDir: string, index: number, split: boolean, store: Awaited<ReturnType<typeof openStore>>): Promise<never> {
  const base = BigInt(Date.now()) * 1_000_000n;
  for (let n = 0; ; n++) {
    const spans = split ? partSpans(index, n, base) : wholeSpans(dataDir, index, n, base);
    await store.push(decodedRequest([{ service: split ? partService(index) : `child-${index}`, spans }]));
    process.stdout.write(`acked ${index} ${n}\n`);
  }
}

// Only when run as the child, not when the test imports the constants above.
if (process.argv[1]?.endsWith('durability-child.ts')) {
  const [dataDir, mode] = process.argv.slice(2);
  if (!dataDir || (mode !== undefined && mode !== 'split')) throw new Error('usage: durability-child.ts <dataDir> [split]');
  const store = await openStore({ dataDir, retention: { sweepIntervalMs: 0 } });
  await Promise.all(Array.from({ length: CHILD_LOOPS }, (_, i) => loop(dataDir, i, mode === 'split', store)));
}
