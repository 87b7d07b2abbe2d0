/** The ideal OTLP/HTTP receiver of variant S (sink-main.ts) as a tracked child process. */
import { fileURLToPath } from 'node:url';
import { startNodeScript, type Child } from './processes.ts';

export interface SinkProcess {
  child: Child;
  /** `host:port` for a `Telemetry.Endpoint` or OTLP base URL. */
  hostPort: string;
}

/** What the sink has received so far. */
export interface SinkStats {
  requests: number;
  bytes: number;
}

const main = fileURLToPath(new URL('./sink-main.ts', import.meta.url));

/** Starts the sink and resolves once it listens. */
export async function startSink(): Promise<SinkProcess> {
  const child = startNodeScript('sink', main);
  const [, port] = await child.waitForOutput(/^SINK (\d+)$/m);
  return { child, hostPort: `127.0.0.1:${port}` };
}

/** The sink's counters (`GET /stats`). */
export async function sinkStats(sink: SinkProcess): Promise<SinkStats> {
  const res = await fetch(`http://${sink.hostPort}/stats`);
  return (await res.json()) as SinkStats;
}
