import { useEffect, useState } from 'preact/hooks';
import { GoToTrace } from './components/go-to-trace.tsx';
import { Link } from './components/link.tsx';
import { currentRoute, onRouteChange, type Route } from './lib/router.ts';
import { LogsPage } from './pages/logs-page.tsx';
import { MetricsPage } from './pages/metrics-page.tsx';
import { RedPage } from './pages/red-page.tsx';
import { SearchPage } from './pages/search-page.tsx';
import { ServicesPage } from './pages/services-page.tsx';
import { TracePage } from './pages/trace-page.tsx';

/** The whole UI: header with navigation and "go to trace", then the page for the current URL. */
export function App() {
  const [route, setRoute] = useState<Route>(currentRoute());
  useEffect(() => onRouteChange(() => setRoute(currentRoute())), []);
  return (
    <div class="app">
      <header class="top-bar">
        <Link href="/" class="brand">
          zeroscope
        </Link>
        <nav>
          <Link href="/search" class={route.name === 'search' ? 'active' : undefined}>
            Search
          </Link>
          <Link href="/services" class={route.name === 'services' ? 'active' : undefined}>
            Services
          </Link>
          <Link href="/red" class={route.name === 'red' ? 'active' : undefined}>
            RED
          </Link>
          <Link href="/traceql-metrics" class={route.name === 'metrics' ? 'active' : undefined}>
            Metrics
          </Link>
          <Link href="/logs" class={route.name === 'logs' ? 'active' : undefined}>
            Logs
          </Link>
        </nav>
        <GoToTrace />
      </header>
      <main>
        <Page route={route} />
      </main>
    </div>
  );
}

function Page(props: { route: Route }) {
  const { route } = props;
  switch (route.name) {
    case 'search':
      return <SearchPage params={route.params} />;
    case 'services':
      return <ServicesPage params={route.params} />;
    case 'logs':
      return <LogsPage params={route.params} />;
    case 'red':
      return <RedPage params={route.params} />;
    case 'metrics':
      return <MetricsPage params={route.params} />;
    case 'trace':
      return <TracePage traceId={route.traceId} spanId={route.spanId} view={route.view ?? 'timeline'} compare={route.compare} />;
    case 'not-found':
      return (
        <section class="page">
          <h1>Not found</h1>
          <p>
            Nothing lives at <code>{route.path}</code>. <Link href="/">Search traces</Link>
          </p>
        </section>
      );
  }
}
