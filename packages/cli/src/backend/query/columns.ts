/**
 * AST → the span fields a search reads (FetchRequest.columns), so the store decodes only those:
 * the attributes the query names, and events or links only when it looks at them. Like
 * Tempo's fetch layer asking its columnar blocks for the referenced columns. Pure.
 */
import type { FetchColumns } from './storage.ts';
import type { MetricsPipeline, RootExpr } from './ast.ts';

const EVENT_INTRINSICS = new Set(['eventName', 'eventTimeSinceStart']);
const LINK_INTRINSICS = new Set(['linkTraceID', 'linkSpanID']);

/**
 * Walks every node of the query (filters, aggregates, `select`, nested pipelines) so that no
 * later node type can be missed: any attribute node counts, whatever holds it.
 */
export function columnsFor(root: RootExpr | MetricsPipeline): FetchColumns {
  const spanAttributes = new Set<string>();
  let events = false;
  let links = false;
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const n = node as { type?: unknown; scope?: unknown; name?: unknown };
    if (n.type === 'attribute' && typeof n.name === 'string') {
      if (n.scope === 'span' || n.scope === 'none') spanAttributes.add(n.name);
      else if (n.scope === 'event') events = true;
      else if (n.scope === 'link') links = true;
    } else if (n.type === 'intrinsic' && typeof n.name === 'string') {
      if (EVENT_INTRINSICS.has(n.name)) events = true;
      if (LINK_INTRINSICS.has(n.name)) links = true;
    }
    for (const value of Object.values(node)) if (value !== null && typeof value === 'object') visit(value);
  };
  visit(root);
  return { spanAttributes: [...spanAttributes].sort(), events, links };
}
