import type { ServiceConf } from '../conf/service-conf.ts';

/** Set-up every server runs first (go-zero's ServiceConf.SetUp): starts tracing from `Telemetry`. */
export function setUp(_conf: ServiceConf): void {
  // filled in by the trace agent work
}
