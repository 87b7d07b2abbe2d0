/**
 * The backend's settings: where data lives, what to bind, how long to keep traces. Defaults
 * first, then `ZEROSCOPE_*` environment variables, then explicit values (the CLI's flags).
 */
import { isAbsolute, resolve } from 'node:path';
import { codedError } from '../shared/coded-error.ts';
import { parseGoDuration } from './api/index.ts';
import { GeneratorConfigError, loadGeneratorConfig, type GeneratorOptions } from './generator/index.ts';
import { ExposureError, assertExposureAllowed, type PushLimits } from './guard/index.ts';

/** Ports of the four listeners; 0 picks a free port (tests). */
export interface BackendPorts {
  otlpHttp: number;
  otlpGrpc: number;
  zipkin: number;
  query: number;
}

/** Everything `startBackend` needs. */
export interface BackendConfig {
  /** Folder of the store's files (absolute). */
  dataDir: string;
  /** Interface every listener binds. */
  host: string;
  ports: BackendPorts;
  /** Traces older than this are deleted. */
  retentionMs: number;
  /** How often retention runs. */
  sweepIntervalMs: number;
  /** Folder of the built web UI; default `dist/ui` in the repository. */
  uiDir?: string;
  /** Browser origins allowed to call the query API (CORS); none by default. */
  corsOrigins?: string[];
  /**
   * Shared token required by every listener (OTLP, Zipkin, query API, UI) when set; required
   * to bind a non-loopback host.
   */
  authToken?: string;
  /** Back-pressure: how much may wait for the store before receivers answer 503 + Retry-After. */
  pushLimits?: PushLimits;
  /**
   * Writes answer 507 while the data dir's disk has less free space than this; default 5% of
   * the disk, at most 64 MiB (see guard/disk-space.ts).
   */
  minFreeDiskBytes?: number;
  /**
   * Extra `Host` names (or `host:port`) the loopback-bound listeners answer besides localhost,
   * 127.0.0.1, [::1] and the bound host; `true` answers any (DNS rebinding protection off).
   */
  allowedHosts?: string[] | true;
  /** Quota on stored span bytes; writes answer 507 past it (default none). */
  maxDataBytes?: number;
  /** Metrics-generator options beyond Tempo's defaults (src/backend/generator/config.ts). */
  generator?: GeneratorOptions;
}

/** The listeners' usual ports: OTLP's, Zipkin's and Tempo's. */
export const DEFAULT_PORTS: Readonly<BackendPorts> = { otlpHttp: 4318, otlpGrpc: 4317, zipkin: 9411, query: 3200 };
export const DEFAULT_HOST = '127.0.0.1';
/** Folder name of the default data dir, under the working directory. */
export const DEFAULT_DATA_DIR_NAME = '.zeroscope';
export const DEFAULT_RETENTION = '7d';
export const DEFAULT_SWEEP_INTERVAL_MS = 60_000;

/** The environment variable behind each setting. */
export const BACKEND_ENV = {
  dataDir: 'ZEROSCOPE_DATA_DIR',
  host: 'ZEROSCOPE_HOST',
  otlpHttpPort: 'ZEROSCOPE_OTLP_HTTP_PORT',
  otlpGrpcPort: 'ZEROSCOPE_OTLP_GRPC_PORT',
  zipkinPort: 'ZEROSCOPE_ZIPKIN_PORT',
  queryPort: 'ZEROSCOPE_QUERY_PORT',
  retention: 'ZEROSCOPE_RETENTION',
  authToken: 'ZEROSCOPE_AUTH_TOKEN',
  corsOrigin: 'ZEROSCOPE_CORS_ORIGIN',
  generatorConfig: 'ZEROSCOPE_GENERATOR_CONFIG',
  minFreeDisk: 'ZEROSCOPE_MIN_FREE_DISK',
  allowedHosts: 'ZEROSCOPE_ALLOWED_HOSTS',
} as const;

/** Settings as text, the way flags and environment variables give them. */
export interface BackendSettings {
  dataDir?: string;
  host?: string;
  otlpHttpPort?: string;
  otlpGrpcPort?: string;
  zipkinPort?: string;
  queryPort?: string;
  retention?: string;
  authToken?: string;
  /** Comma-separated origins, or `*`. */
  corsOrigin?: string;
  /** A YAML file of metrics-generator options in Tempo's processor shape (generator/config-file.ts). */
  generatorConfig?: string;
  /** A size such as `64MiB`, `500MB`, `0` (no floor). */
  minFreeDisk?: string;
  /** Comma-separated host names, or `*`. */
  allowedHosts?: string;
}

/** A setting has a value that cannot be used; `setting` names the flag or variable. */
export class BackendConfigError extends codedError<'BACKEND_ERR_CONFIG'>() {
  readonly setting: string;

  constructor(setting: string, message: string) {
    super('BACKEND_ERR_CONFIG', `${setting}: ${message}`);
    this.setting = setting;
  }
}

const DAY_NANOS = 86_400e9;

/** Parses a retention like `7d`, `36h`, `1w2d` or `90m` into milliseconds (Go units plus d, w). */
export function parseRetention(text: string, setting = 'retention'): number {
  let nanos: number;
  try {
    nanos = parseGoDuration(text.trim(), { d: DAY_NANOS, w: 7 * DAY_NANOS });
  } catch (err) {
    throw new BackendConfigError(setting, `${(err as Error).message.replace(/^time: /, '')} (use e.g. 7d, 36h, 90m)`);
  }
  if (nanos < 1e9) throw new BackendConfigError(setting, `must be at least 1s, got "${text}"`);
  return Math.round(nanos / 1e6);
}

/** A retention in the largest unit that divides it (parseRetention's inverse), e.g. 604800000 → `7d`. */
export function formatRetention(ms: number): string {
  const units: Array<[string, number]> = [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000]];
  for (const [unit, size] of units) if (ms % size === 0) return `${ms / size}${unit}`;
  return `${ms}ms`;
}

/** Parses a TCP port (0 allowed: pick a free one). */
export function parsePort(text: string, setting: string): number {
  if (!/^\d+$/.test(text.trim())) throw new BackendConfigError(setting, `"${text}" is not a port number`);
  const port = Number(text.trim());
  if (port > 65535) throw new BackendConfigError(setting, `${port} is not a port number (0-65535)`);
  return port;
}

/** Parses a comma-separated list of browser origins (`https://host[:port]`) or `*`. */
export function parseCorsOrigins(text: string, setting = 'corsOrigin'): string[] {
  const origins = text.split(',').map((o) => o.trim()).filter((o) => o !== '');
  for (const origin of origins) {
    if (origin === '*') continue;
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = undefined;
    }
    if (!parsed || !/^https?:$/.test(parsed.protocol) || parsed.origin !== origin) {
      throw new BackendConfigError(setting, `"${origin}" is not an origin (use e.g. http://localhost:3000, no path or trailing slash)`);
    }
  }
  return origins;
}

const SIZE_UNITS: Record<string, number> = {
  '': 1, b: 1, k: 1e3, kb: 1e3, m: 1e6, mb: 1e6, g: 1e9, gb: 1e9,
  ki: 1024, kib: 1024, mi: 1024 ** 2, mib: 1024 ** 2, gi: 1024 ** 3, gib: 1024 ** 3,
};

/** Parses a size like `64MiB`, `500MB`, `1.5GiB` or `1048576` into bytes. */
export function parseSize(text: string, setting: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text.trim());
  const unit = m ? SIZE_UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined) throw new BackendConfigError(setting, `"${text}" is not a size (use e.g. 64MiB, 500MB, 0)`);
  return Math.floor(Number(m[1]) * unit);
}

/** Parses a comma-separated list of host names (with an optional port), or `*` for any. */
export function parseAllowedHosts(text: string, setting = 'allowedHosts'): string[] | true {
  const hosts = text.split(',').map((h) => h.trim().toLowerCase()).filter((h) => h !== '');
  if (hosts.includes('*')) return true;
  for (const host of hosts) {
    if (!/^(\[[0-9a-f:.]+\]|[a-z0-9_.-]+)(:\d{1,5})?$/.test(host)) {
      throw new BackendConfigError(setting, `"${host}" is not a host name (use e.g. zeroscope.test, my-box:3200, or * for any)`);
    }
  }
  return hosts;
}

/** The settings present in `env`. */
export function settingsFromEnv(env: NodeJS.ProcessEnv): BackendSettings {
  const out: BackendSettings = {};
  for (const [key, name] of Object.entries(BACKEND_ENV) as Array<[keyof BackendSettings, string]>) {
    const value = env[name];
    if (value !== undefined && value !== '') out[key] = value;
  }
  return out;
}

/**
 * Resolves the config: defaults, overlaid by `env`'s `ZEROSCOPE_*`, overlaid by `settings`
 * (flags win). `settingNames` says how to name each setting in errors (the CLI passes its flags).
 * @example resolveBackendConfig({ queryPort: '0' }, process.env, process.cwd())
 */
export function resolveBackendConfig(
  settings: BackendSettings = {},
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
  settingNames: Partial<Record<keyof BackendSettings, string>> = {},
): BackendConfig {
  const fromEnv = settingsFromEnv(env);
  const pick = (key: keyof BackendSettings): { value?: string; name: string } => {
    if (settings[key] !== undefined) return { value: settings[key], name: settingNames[key] ?? key };
    return { value: fromEnv[key], name: BACKEND_ENV[key] };
  };
  const port = (key: 'otlpHttpPort' | 'otlpGrpcPort' | 'zipkinPort' | 'queryPort', fallback: number) => {
    const { value, name } = pick(key);
    return value === undefined ? fallback : parsePort(value, name);
  };
  const dataDir = pick('dataDir');
  const host = pick('host');
  if (host.value !== undefined && host.value.trim() === '') throw new BackendConfigError(host.name, 'must not be empty');
  const retention = pick('retention');
  const dir = dataDir.value ?? DEFAULT_DATA_DIR_NAME;
  const hostValue = host.value?.trim() ?? DEFAULT_HOST;
  const token = pick('authToken');
  const cors = pick('corsOrigin');
  const generatorFile = pick('generatorConfig');
  let generator: GeneratorOptions | undefined;
  if (generatorFile.value) {
    const file = isAbsolute(generatorFile.value) ? generatorFile.value : resolve(cwd, generatorFile.value);
    try {
      generator = loadGeneratorConfig(file);
    } catch (err) {
      if (err instanceof GeneratorConfigError) throw new BackendConfigError(generatorFile.name, err.message);
      throw err;
    }
  }
  const minFree = pick('minFreeDisk');
  const allowed = pick('allowedHosts');
  const config: BackendConfig = {
    ...(generator ? { generator } : {}),
    ...(minFree.value ? { minFreeDiskBytes: parseSize(minFree.value, minFree.name) } : {}),
    ...(allowed.value ? { allowedHosts: parseAllowedHosts(allowed.value, allowed.name) } : {}),
    ...(token.value ? { authToken: token.value } : {}),
    ...(cors.value ? { corsOrigins: parseCorsOrigins(cors.value, cors.name) } : {}),
    dataDir: isAbsolute(dir) ? dir : resolve(cwd, dir),
    host: hostValue,
    ports: {
      otlpHttp: port('otlpHttpPort', DEFAULT_PORTS.otlpHttp),
      otlpGrpc: port('otlpGrpcPort', DEFAULT_PORTS.otlpGrpc),
      zipkin: port('zipkinPort', DEFAULT_PORTS.zipkin),
      query: port('queryPort', DEFAULT_PORTS.query),
    },
    retentionMs: parseRetention(retention.value ?? DEFAULT_RETENTION, retention.name),
    sweepIntervalMs: DEFAULT_SWEEP_INTERVAL_MS,
  };
  try {
    const tokenName = settingNames.authToken ? `${settingNames.authToken} (or $${BACKEND_ENV.authToken})` : BACKEND_ENV.authToken;
    assertExposureAllowed(config.host, config.authToken, { token: tokenName });
  } catch (err) {
    if (err instanceof ExposureError) throw new BackendConfigError(host.name, err.message);
    throw err;
  }
  return config;
}
