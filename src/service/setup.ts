import type { ServiceConf } from '../conf/service-conf.ts';
import { startAgent } from '../trace/index.ts';

/**
 * Set-up every server runs first (go-zero's ServiceConf.SetUp): starts the trace agent from
 * `conf.Telemetry`, with `Telemetry.Name` defaulting to `conf.Name` and the `Mode` reported as
 * `deployment.environment.name`. Without a `Telemetry` block nothing starts: tracing is switched on
 * by configuration. The agent starts once per process, so the second server's set-up is a no-op; a
 * failure is logged and swallowed, so a later set-up (another server) can retry.
 *
 * @example
 *   setUp(conf); // first line of a server constructor
 */
export function setUp(conf: ServiceConf): void {
  if (!conf.Telemetry) return;
  try {
    startAgent(
      { ...conf.Telemetry, Name: conf.Telemetry.Name ?? conf.Name },
      { resource: { 'deployment.environment.name': conf.Mode } },
    );
  } catch (err) {
    console.warn(`[zeroscope/service] ${conf.Name}: tracing not started: ${err instanceof Error ? err.message : String(err)}`);
  }
}
