import type { ServiceConf } from '../conf/service-conf.ts';
import { LogSchema, logger, type OtlpLogExportConf, setUpLogging, shutdownLogging } from '../log/index.ts';
import { metricsEnabled, startMetrics, stopMetrics } from '../metrics/index.ts';
import { readTlsFiles, shutdownAgent, startAgent, TraceError } from '../trace/index.ts';

/**
 * Set-up every server runs first (go-zero's ServiceConf.SetUp): starts the trace agent from
 * `conf.Telemetry`, with `Telemetry.Name` defaulting to `conf.Name` and the `Mode` reported as
 * `deployment.environment.name`. Without a `Telemetry` block nothing starts: tracing is switched on
 * by configuration. The agent starts once per process, so the second server's set-up is a no-op. A
 * Telemetry block the agent refuses throws (TraceError), naming the key and the fix.
 *
 * Then, likewise once per process: configures the process logger from `conf.Log` (exporting its
 * lines over OTLP/HTTP to `/v1/logs` of the Telemetry endpoint when spans go over OTLP/HTTP), and
 * starts the metrics server when there is a `Prometheus` block. Without a `Log` block and an
 * OTLP/HTTP `Telemetry`, the logger keeps its defaults and a later set-up may still configure it.
 *
 * @example
 *   setUp(conf); // first line of a server constructor
 */
export function setUp(conf: ServiceConf): void {
  // Logging waits for a usable Telemetry block, so the set-up that retries tracing adds log export.
  if (startTracing(conf)) setUpLogs(conf);
  setUpMetrics(conf);
}

function setUpLogs(conf: ServiceConf): void {
  const otlp = otlpLogExport(conf);
  if (conf.Log !== undefined || otlp !== undefined) {
    try {
      setUpLogging(conf.Log ?? LogSchema.parse({}), { serviceName: conf.Name, otlp });
    } catch (err) {
      console.warn(`[zeroscope/service] ${conf.Name}: logging not configured: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}

function setUpMetrics(conf: ServiceConf): void {
  if (conf.Prometheus !== undefined && !metricsEnabled()) {
    const path = conf.Prometheus.Path;
    const server = startMetrics(conf.Prometheus, (err) =>
      console.warn(`[zeroscope/service] ${conf.Name}: metrics not served: ${err instanceof Error ? err.message : String(err)}`),
    );
    // Failures were reported just above; here only say where to scrape.
    server.ready.then((address) => logger().info(`serving metrics at http://${address.address}:${address.port}${path}`), () => undefined);
  }
}

/**
 * Starts the agent. A Telemetry block the agent cannot start from (TraceError: a malformed or
 * legacy Endpoint) is thrown, as every other bad config value is: a service must not run
 * untraced after asking for tracing. Anything else is warned about and false returned.
 */
function startTracing(conf: ServiceConf): boolean {
  if (!conf.Telemetry) return true;
  try {
    startAgent(
      { ...conf.Telemetry, Name: conf.Telemetry.Name ?? conf.Name },
      { resource: { 'deployment.environment.name': conf.Mode } },
    );
    return true;
  } catch (err) {
    if (err instanceof TraceError) throw err;
    console.warn(`[zeroscope/service] ${conf.Name}: tracing not started: ${err instanceof Error ? err.message : String(err)}`);
    return false;
  }
}

/**
 * Logs follow spans over OTLP/HTTP (`otlphttp`, and `jaeger`, which sends OTLP/HTTP too): same
 * endpoint, headers, encoding, compression, TLS files and resource. The gRPC and Zipkin batchers have no logs counterpart installed.
 */
function otlpLogExport(conf: ServiceConf): OtlpLogExportConf | undefined {
  const telemetry = conf.Telemetry;
  if (!telemetry || telemetry.Disabled || !telemetry.Endpoint) return undefined;
  if (telemetry.Batcher !== 'otlphttp' && telemetry.Batcher !== 'jaeger') return undefined;
  return {
    endpoint: telemetry.Endpoint,
    tracesPath: telemetry.OtlpHttpPath,
    secure: telemetry.OtlpHttpSecure,
    headers: telemetry.OtlpHeaders,
    encoding: telemetry.OtlpHttpEncoding,
    compression: telemetry.OtlpCompression,
    // The agent has read these files already (an unreadable one stopped it with its path).
    tls: readTlsFiles(telemetry),
    serviceName: telemetry.Name ?? conf.Name,
    resource: { 'deployment.environment.name': conf.Mode },
  };
}

/**
 * Undoes the set-up when the service group stops: flushes and shuts down the trace agent and the
 * OTLP log export (each bounded in time), flushes buffered log lines, closes the metrics server.
 * Never throws.
 */
export async function tearDown(): Promise<void> {
  await Promise.all([shutdownAgent(), shutdownLogging(), stopMetrics()]);
}
