/**
 * `zeroscope up` with a UI folder of the bench's choosing (the CLI has no flag for it): starts
 * the backend on free ports, prints `ADDRESSES <json>`, stops on SIGTERM/SIGINT.
 *   node --import tsx bench/lib/backend-main.ts --data-dir D --ui-dir U
 */
import { resolveBackendConfig, startBackend } from '../../packages/cli/src/backend/index.ts';

function flag(name: string): string {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0 || !process.argv[i + 1]) throw new Error(`missing --${name}`);
  return process.argv[i + 1];
}

const config = resolveBackendConfig(
  { dataDir: flag('data-dir'), otlpHttpPort: '0', otlpGrpcPort: '0', zipkinPort: '0', queryPort: '0' },
  {},
);
const backend = await startBackend({ ...config, uiDir: flag('ui-dir') });
console.log(`ADDRESSES ${JSON.stringify(backend.addresses)}`);

const stop = () => void backend.stop().finally(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
