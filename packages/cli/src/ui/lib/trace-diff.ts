/**
 * Two traces side by side: spans are matched by their path of service and span name from the
 * root, and among siblings with the same service and name by their order of start, so the third
 * `GET /stock` call under the same parent pairs with the third in the other trace. Each row gives
 * both durations and the difference; a span only one trace has is marked, with its subtree.
 */
import type { UiSpan, UiTrace } from './trace-model.ts';

export interface DiffSide {
  spanId: string;
  durationNs: number;
  error: boolean;
}

export interface DiffRow {
  depth: number;
  service: string;
  name: string;
  serviceIndex: number;
  a: DiffSide | undefined;
  b: DiffSide | undefined;
  /** b − a, when both have the span. */
  deltaNs: number | undefined;
}

const side = (s: UiSpan): DiffSide => ({ spanId: s.spanId, durationNs: s.durationNs, error: s.status === 'error' });

/** Pairs siblings by service, name and their rank among siblings of that service and name. */
function pairChildren(as: readonly UiSpan[], bs: readonly UiSpan[]): Array<[UiSpan | undefined, UiSpan | undefined]> {
  const keyed = (list: readonly UiSpan[]) => {
    const seen = new Map<string, number>();
    return list.map((s) => {
      const k = `${s.serviceName}\u0000${s.name}`;
      const n = seen.get(k) ?? 0;
      seen.set(k, n + 1);
      return [`${k}\u0000${n}`, s] as const;
    });
  };
  const bByKey = new Map(keyed(bs));
  const pairs: Array<[UiSpan | undefined, UiSpan | undefined]> = [];
  for (const [k, a] of keyed(as)) {
    const b = bByKey.get(k);
    bByKey.delete(k);
    pairs.push([a, b]);
  }
  for (const b of bByKey.values()) pairs.push([undefined, b]);
  return pairs;
}

/** The rows of the comparison in tree order (A's order, B-only spans after their matched siblings). */
export function diffTraces(a: UiTrace, b: UiTrace): DiffRow[] {
  const rows: DiffRow[] = [];
  const stack: Array<[UiSpan | undefined, UiSpan | undefined, number]> = pairChildren(a.roots, b.roots)
    .reverse()
    .map(([x, y]) => [x, y, 0]);
  while (stack.length) {
    const [x, y, depth] = stack.pop()!;
    const span = (x ?? y)!;
    rows.push({
      depth,
      service: span.serviceName,
      name: span.name,
      serviceIndex: span.serviceIndex,
      a: x && side(x),
      b: y && side(y),
      deltaNs: x && y ? y.durationNs - x.durationNs : undefined,
    });
    const kids = pairChildren(x?.children ?? [], y?.children ?? []);
    for (let i = kids.length - 1; i >= 0; i--) stack.push([kids[i][0], kids[i][1], depth + 1]);
  }
  return rows;
}
