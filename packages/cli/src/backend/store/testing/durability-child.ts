/**
 * Child process of the durability test: pushes to the store in a few concurrent loops and prints
 * `acked <loop> <n>` as soon as each push resolves, until the parent SIGKILLs it.
 * Usage: node --import tsx durability-child.ts <dataDir>
 */
import { openStore } from '../lmdb-store.ts';
import { decodedRequest, spanIdOf, traceIdOf, type SpanSpec } from '../../otlp/testing/trace-builder.ts';

export const CHILD_LOOPS = 3;
export const CHILD_SPANS_PER_PUSH = 200;

/** The trace a loop's n-th push writes. */
export function childTraceId(loop: number, n: number): string {
  return traceIdOf(n, loop + 1);
}

async function loop(dataDir: string, index: number, store: Awaited<ReturnType<typeof openStore>>): Promise<never> {
  const base = BigInt(Date.now()) * 1_000_000n;
  for (let n = 0; ; n++) {
    const spans: SpanSpec[] = Array.from({ length: CHILD_SPANS_PER_PUSH }, (_, k) => ({
      traceId: childTraceId(index, n),
      spanId: spanIdOf(k + 1),
      parentSpanId: k === 0 ? undefined : spanIdOf(1),
      name: `op-${k % 7}`,
      start: base + BigInt(k),
      end: base + BigInt(k) + 1000n,
      attributes: { 'loop.index': index, 'push.n': n, dir: dataDir },
    }));
    await store.push(decodedRequest([{ service: `child-${index}`, spans }]));
    process.stdout.write(`acked ${index} ${n}\n`);
  }
}

// Only when run as the child, not when the test imports the constants above.
if (process.argv[1]?.endsWith('durability-child.ts')) {
  const dataDir = process.argv[2];
  if (!dataDir) throw new Error('usage: durability-child.ts <dataDir>');
  const store = await openStore({ dataDir, retention: { sweepIntervalMs: 0 } });
  await Promise.all(Array.from({ length: CHILD_LOOPS }, (_, i) => loop(dataDir, i, store)));
}
