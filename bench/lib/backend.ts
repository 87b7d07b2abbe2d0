/**
 * The zeroscope backend as a child process, so its CPU and memory can be read apart from the
 * bench's. Normally it is the real command (`bin/zeroscope.js up`, every port picked free);
 * with a `uiDir` it is backend-main.ts, which differs only in serving the UI from that folder.
 */
import { fileURLToPath } from 'node:url';
import { startChild, startNodeScript, type Child } from './processes.ts';

/** A backend child and where it listens. */
export interface BackendProcess {
  child: Child;
  /** OTLP/HTTP traces URL (`.../v1/traces`). */
  otlpHttpTraces: string;
  /** OTLP/gRPC `host:port`. */
  otlpGrpc: string;
  /** Query API base URL (also the UI). */
  query: string;
}

export interface BackendProcessOptions {
  dataDir: string;
  /** Serve the web UI from this folder (a build of src/ui). */
  uiDir?: string;
  /** Extra node flags (e.g. `--cpu-prof`). */
  nodeArgs?: string[];
}

const cli = fileURLToPath(new URL('../../packages/cli/bin/zeroscope.js', import.meta.url));
// What bin/zeroscope.js's shebang (and `npm run up`) gives the backend; `node <file>` ignores a shebang.
const BACKEND_NODE_FLAGS = ['--max-semi-space-size=64'];
const mainScript = fileURLToPath(new URL('./backend-main.ts', import.meta.url));

/** Starts the backend and resolves once every listener is up. */
export async function startBackendProcess(options: BackendProcessOptions): Promise<BackendProcess> {
  if (options.uiDir) {
    const child = startNodeScript('backend', mainScript, ['--data-dir', options.dataDir, '--ui-dir', options.uiDir], { nodeArgs: [...BACKEND_NODE_FLAGS, ...(options.nodeArgs ?? [])] });
    const [, json] = await child.waitForOutput(/^ADDRESSES (.+)$/m);
    const a = JSON.parse(json) as { otlpHttp: string; otlpGrpc: string; query: string };
    return { child, otlpHttpTraces: `${a.otlpHttp}/v1/traces`, otlpGrpc: a.otlpGrpc, query: a.query };
  }
  const ports = ['--otlp-http-port', '0', '--otlp-grpc-port', '0', '--zipkin-port', '0', '--query-port', '0'];
  const child = startChild('backend', process.execPath, [...BACKEND_NODE_FLAGS, ...(options.nodeArgs ?? []), cli, 'up', '--data-dir', options.dataDir, ...ports]);
  await child.waitForOutput(/Press Ctrl\+C/);
  const out = child.stdout();
  const pick = (label: string) => {
    const match = out.match(new RegExp(`^\\s*${label}\\s+(\\S+)`, 'm'));
    if (!match) throw new Error(`backend did not print its ${label} address:\n${out}`);
    return match[1];
  };
  return { child, otlpHttpTraces: pick('OTLP/HTTP'), otlpGrpc: pick('OTLP/gRPC'), query: pick('Tempo API') };
}
