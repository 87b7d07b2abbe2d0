/**
 * Client-side routes over the History API. The backend answers every one of these paths with
 * index.html, so each is also a shareable URL.
 *
 *   /  and  /search?…      search page (query state in the URL)
 *   /trace/<hex id>?span=&view=&compare=  trace page (view: timeline, flame, stats, json, compare)
 *   /services?…            service graph
 *   /logs?…                log search (zeroscope's backend only)
 *   /red?…                 RED per service and route (zeroscope's backend only)
 *   /traceql-metrics?q=&range=&step=  TraceQL metrics over time (`/metrics` is the backend's Prometheus endpoint)
 */
import { isSpanIdHex, isTraceIdHex, normalizeTraceId } from './ids.ts';

export type Route =
  | { name: 'search'; params: URLSearchParams }
  | { name: 'trace'; traceId: string; spanId?: string; view?: TraceViewName; compare?: string }
  | { name: 'services'; params: URLSearchParams }
  | { name: 'logs'; params: URLSearchParams }
  | { name: 'red'; params: URLSearchParams }
  | { name: 'metrics'; params: URLSearchParams }
  | { name: 'not-found'; path: string };

/** The trace page's views; the timeline (waterfall) is the default and is left out of URLs. */
export const TRACE_VIEWS = ['timeline', 'flame', 'stats', 'json', 'compare'] as const;
export type TraceViewName = (typeof TRACE_VIEWS)[number];

/** Which page a path + query string shows. */
export function parseRoute(pathname: string, search = ''): Route {
  const params = new URLSearchParams(search);
  const path = pathname.replace(/\/+$/, '') || '/';
  if (path === '/' || path === '/search') return { name: 'search', params };
  if (path === '/services') return { name: 'services', params };
  if (path === '/logs') return { name: 'logs', params };
  if (path === '/red') return { name: 'red', params };
  if (path === '/traceql-metrics') return { name: 'metrics', params };
  const m = /^\/trace\/([^/]+)$/.exec(path);
  if (m) {
    const id = decodeURIComponent(m[1]);
    if (!isTraceIdHex(id)) return { name: 'not-found', path: pathname };
    const span = params.get('span') ?? '';
    const route: Route & { name: 'trace' } = { name: 'trace', traceId: normalizeTraceId(id) };
    if (isSpanIdHex(span)) route.spanId = span.toLowerCase();
    const view = params.get('view') ?? '';
    if ((TRACE_VIEWS as readonly string[]).includes(view) && view !== 'timeline') route.view = view as TraceViewName;
    const compare = params.get('compare') ?? '';
    if (isTraceIdHex(compare)) route.compare = normalizeTraceId(compare);
    return route;
  }
  return { name: 'not-found', path: pathname };
}

/** The URL of a trace page; ids are validated so that span data can never steer the link. */
export function traceHref(traceId: string, spanId?: string): string {
  if (!isTraceIdHex(traceId)) return '/';
  const base = `/trace/${normalizeTraceId(traceId)}`;
  return spanId && isSpanIdHex(spanId) ? `${base}?span=${spanId.toLowerCase()}` : base;
}

/** A trace page URL with a view (and, for compare, the other trace); ids validated as in traceHref. */
export function traceViewHref(traceId: string, view: TraceViewName, compare?: string, spanId?: string): string {
  const base = traceHref(traceId, spanId);
  if (base === '/') return base;
  const p = new URLSearchParams(base.split('?')[1] ?? '');
  if (view !== 'timeline') p.set('view', view);
  if (compare && isTraceIdHex(compare)) p.set('compare', normalizeTraceId(compare));
  const qs = p.toString();
  return qs ? `${base.split('?')[0]}?${qs}` : base;
}

/** True when `href` is a same-origin path that parses to one of our pages. */
export function isInternalHref(href: string): boolean {
  if (!href.startsWith('/') || href.startsWith('//') || href.includes('\\')) return false;
  const url = new URL(href, 'http://x');
  return url.origin === 'http://x' && parseRoute(url.pathname, url.search).name !== 'not-found';
}

const NAV_EVENT = 'zeroscope:navigate';

/** Goes to an internal route without a page load. Anything not internal is refused. */
export function navigate(href: string, options: { replace?: boolean } = {}): void {
  if (!isInternalHref(href)) return;
  if (options.replace) history.replaceState(null, '', href);
  else history.pushState(null, '', href);
  window.dispatchEvent(new Event(NAV_EVENT));
}

/** Calls `listener` whenever the route changes (links, back/forward). Returns an unsubscribe. */
export function onRouteChange(listener: () => void): () => void {
  window.addEventListener('popstate', listener);
  window.addEventListener(NAV_EVENT, listener);
  return () => {
    window.removeEventListener('popstate', listener);
    window.removeEventListener(NAV_EVENT, listener);
  };
}

/** The route of the page's current location. */
export function currentRoute(): Route {
  return parseRoute(location.pathname, location.search);
}
