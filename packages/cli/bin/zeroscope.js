#!/usr/bin/env -S node --max-semi-space-size=64
// The `zeroscope` command: runs the compiled CLI (dist/cli/main.js). The repository's tests run it
// with the `zeroscope-source` export condition, under which `#main` is the TypeScript source; tsx's
// loader is registered in this process for that case only (no child process, so signals reach the
// CLI).
let cli;
try {
  const main = import.meta.resolve('#main');
  if (main.endsWith('.ts')) (await import('tsx/esm/api')).register();
  cli = await import(main);
} catch (err) {
  if (err?.code !== 'ERR_MODULE_NOT_FOUND' || !String(err.message).includes('/dist/')) throw err;
  console.error('zeroscope: the CLI is not built yet; run `npm run build` in its package (npm ci does it in the repository)');
  process.exit(1);
}
await cli.run();
