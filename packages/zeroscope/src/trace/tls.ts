import { readFileSync } from 'node:fs';
import type { TelemetryConf } from './config.ts';
import { TraceError } from './errors.ts';

/** The PEM contents an exporter's TLS connection uses; each absent when not configured. */
export interface TlsFiles {
  ca?: Buffer | undefined;
  cert?: Buffer | undefined;
  key?: Buffer | undefined;
}

/**
 * Reads `OtlpCaFile`, `OtlpClientCertFile` and `OtlpClientKeyFile` once, at start-up, so an
 * unreadable file stops the agent with its path rather than failing every export later.
 */
export function readTlsFiles(conf: Pick<TelemetryConf, 'OtlpCaFile' | 'OtlpClientCertFile' | 'OtlpClientKeyFile'>): TlsFiles {
  const read = (key: 'OtlpCaFile' | 'OtlpClientCertFile' | 'OtlpClientKeyFile'): Buffer | undefined => {
    const path = conf[key];
    if (path === undefined) return undefined;
    try {
      return readFileSync(path);
    } catch (err) {
      throw new TraceError('TRACE_ERR_BAD_CERTIFICATE', `Telemetry.${key}: cannot read "${path}" (${(err as Error).message})`, { cause: err });
    }
  };
  const files: TlsFiles = { ca: read('OtlpCaFile'), cert: read('OtlpClientCertFile'), key: read('OtlpClientKeyFile') };
  if ((files.cert === undefined) !== (files.key === undefined)) {
    throw new TraceError('TRACE_ERR_BAD_CERTIFICATE', 'Telemetry.OtlpClientCertFile and OtlpClientKeyFile go together (a client certificate needs its key)');
  }
  return files;
}

/** True when any TLS file is configured. */
export function hasTls(files: TlsFiles): boolean {
  return files.ca !== undefined || files.cert !== undefined;
}
