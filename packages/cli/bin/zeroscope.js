#!/usr/bin/env -S node --max-semi-space-size=64
// The `zeroscope` command. The CLI is TypeScript run from source: tsx's loader is registered in
// this process (no child process, so signals reach the CLI directly), then src/cli/main.ts runs.
import { register } from 'tsx/esm/api';

register();
const { run } = await import('../src/cli/main.ts');
await run();
