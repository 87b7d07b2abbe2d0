/**
 * The one "poll until ready" of the tests: for waiting on other processes, servers and
 * asynchronous work whose completion nothing announces.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';

export interface EventuallyOptions {
  /** Give up after this long (default 10 s). */
  timeoutMs?: number;
  /** Pause between checks (default 50 ms). */
  pollMs?: number;
}

/**
 * Calls `check` until it returns something other than `undefined` or `false`, and resolves with
 * that. Once `timeoutMs` has passed the test fails naming `what`; a function is called then, so
 * the message can tell the last state seen ("expected 3 spans, saw 1"). An error thrown by
 * `check` fails at once: a check that cannot be ready yet returns `undefined` instead.
 */
export async function eventually<T>(
  what: string | (() => string),
  check: () => T | undefined | false | Promise<T | undefined | false>,
  options: EventuallyOptions = {},
): Promise<T> {
  const { timeoutMs = 10_000, pollMs = 50 } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) assert.fail(`timed out after ${timeoutMs} ms waiting for ${typeof what === 'string' ? what : what()}`);
    await sleep(pollMs);
  }
}
