/** `zeroscope ui`: the web UI reading from a Grafana Tempo (or any Tempo-compatible API) until SIGINT/SIGTERM. */
import { describeListenFailure } from 'zeroscope/service';
import { CliRunError, CliUsageError } from './errors.ts';
import { formatFlags, parseFlags, type FlagSpec } from './flags.ts';
import { serveUntilStopped, type CliIo } from './io.ts';
import { createTempoProxy, type TempoProxy, type TempoProxyOptions } from './tempo-proxy.ts';

/** Environment variables `ui` reads (flags win). */
export const UI_ENV = {
  tempoUrl: 'ZEROSCOPE_TEMPO_URL',
  /** `Name=value,Name2=value2` (OTLP headers style, values percent-decoded): keeps tokens out of `ps`. */
  tempoHeaders: 'ZEROSCOPE_TEMPO_HEADERS',
} as const;

/** The flags of `ui`. `--tempo-header` may be given more than once. */
export const UI_FLAGS: readonly FlagSpec[] = [
  { name: 'tempo-url', value: 'URL', env: UI_ENV.tempoUrl, description: 'base URL of the Tempo API to read from (required), e.g. http://tempo:3200' },
  { name: 'tempo-header', value: "'NAME: VALUE'", env: UI_ENV.tempoHeaders, description: 'header sent to Tempo with every request (repeatable), e.g. X-Scope-OrgID: team-a' },
  { name: 'host', value: 'ADDR', description: 'interface to listen on (default 127.0.0.1)' },
  { name: 'port', value: 'N', description: 'port of the UI (default 3200, 0 picks a free one)' },
];

/** `zeroscope ui --help`. */
export const UI_HELP = `Usage: zeroscope ui --tempo-url URL [--tempo-header 'NAME: VALUE' ...] [--port N]

Serves the web UI and forwards the Tempo API requests it makes (GET /api/...) to the given
Tempo: Grafana Tempo, Grafana Cloud Traces, or another zeroscope backend. Headers such as a
tenant (X-Scope-OrgID) or a token (Authorization: Bearer ...) are added by this process and never
reach the browser; anyone who can open the UI can read that Tempo, so keep --host on loopback
unless the network is trusted.

Flags:
${formatFlags(UI_FLAGS)}`;

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** `Name: value` → [name, value]; a usage error naming the flag otherwise. */
export function parseHeader(text: string, from = '--tempo-header'): [string, string] {
  const colon = text.indexOf(':');
  const name = colon > 0 ? text.slice(0, colon).trim() : '';
  const value = colon > 0 ? text.slice(colon + 1).trim() : '';
  if (!HEADER_NAME.test(name) || /[\r\n]/.test(value)) {
    throw new CliUsageError('ui', `${from} expects 'NAME: VALUE', got '${text}'`);
  }
  return [name, value];
}

/** `--tempo-header` values, taken out of `argv` because the flag parser keeps one value per flag. */
function takeHeaders(argv: readonly string[]): { headers: string[]; rest: string[] } {
  const headers: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    if (arg.startsWith('--tempo-header=')) headers.push(arg.slice('--tempo-header='.length));
    else if (arg === '--tempo-header') {
      const value = argv[i + 1];
      if (value === undefined) throw new CliUsageError('ui', "--tempo-header needs a value ('NAME: VALUE')");
      headers.push(value);
      i++;
    } else rest.push(arg);
  }
  return { headers, rest };
}

/** The proxy options the command line and environment give. */
export function uiConfig(argv: readonly string[], io: Pick<CliIo, 'env'>): { options: TempoProxyOptions; help: boolean } {
  const { headers: headerArgs, rest } = takeHeaders(argv);
  const parsed = parseFlags('ui', rest, UI_FLAGS);
  if (parsed.positionals.length > 0) throw new CliUsageError('ui', `unexpected argument ${parsed.positionals[0]}`);
  if (parsed.help) return { options: { tempoUrl: '' }, help: true };

  const tempoUrl = parsed.values.get('tempo-url') ?? io.env[UI_ENV.tempoUrl];
  if (!tempoUrl) throw new CliUsageError('ui', `--tempo-url is required (or $${UI_ENV.tempoUrl})`);
  let url: URL;
  try {
    url = new URL(tempoUrl);
  } catch {
    throw new CliUsageError('ui', `--tempo-url: not a URL: ${tempoUrl}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CliUsageError('ui', `--tempo-url must be http(s), got ${url.protocol}`);

  const headers: Record<string, string> = {};
  for (const pair of (io.env[UI_ENV.tempoHeaders] ?? '').split(',').filter((p) => p.trim() !== '')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new CliUsageError('ui', `$${UI_ENV.tempoHeaders} expects Name=value pairs, got '${pair}'`);
    const [name, value] = parseHeader(`${pair.slice(0, eq)}:${decodeURIComponent(pair.slice(eq + 1))}`, `$${UI_ENV.tempoHeaders}`);
    headers[name] = value;
  }
  for (const text of headerArgs) {
    const [name, value] = parseHeader(text);
    headers[name] = value;
  }

  const portText = parsed.values.get('port') ?? '3200';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) throw new CliUsageError('ui', `--port: expected 0..65535, got ${portText}`);
  return { options: { tempoUrl: url.href, headers, port, host: parsed.values.get('host') ?? '127.0.0.1' }, help: false };
}

/** Runs `zeroscope ui`; resolves with the exit status once stopped. */
export async function uiCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { options, help } = uiConfig(argv, io);
  if (help) {
    io.out(UI_HELP);
    return 0;
  }
  const proxy: TempoProxy = createTempoProxy(options);
  try {
    await proxy.start();
  } catch (err) {
    throw new CliRunError(describeListenFailure(err, `${options.host}:${options.port}`, { host: '--host', port: '--port' }), { cause: err });
  }
  const names = Object.keys(options.headers ?? {});
  io.out('zeroscope ui is up');
  io.out(`  UI         http://${options.host}:${proxy.port}`);
  io.out(`  Tempo API  ${options.tempoUrl}${names.length ? `   (headers: ${names.join(', ')})` : ''}`);
  return serveUntilStopped(io, () => proxy.stop());
}
