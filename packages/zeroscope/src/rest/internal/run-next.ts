import type { Dispatch, RequestContext } from '../context.ts';

/**
 * An already-settled step, shared: a step that finished synchronously hands this back instead of
 * making a promise of its own (each promise costs an async-hooks init while tracing is on).
 */
export const DONE: Promise<void> = Promise.resolve();

/**
 * Calls `next(ctx)` and always hands back a promise: a synchronous throw becomes a rejection and
 * a step that forgot to return its promise counts as done, as `await next(ctx)` would treat them.
 * Lets the built-in middleware be plain functions with one `.then` instead of async functions
 * (which cost two promises per request: their own and the one `await` makes).
 */
export function runNext(next: Dispatch, ctx: RequestContext): Promise<void> {
  try {
    const pending: unknown = next(ctx);
    return pending instanceof Promise ? pending : Promise.resolve(pending as void);
  } catch (err) {
    return Promise.reject(err);
  }
}

/** True for anything `await` would wait on. */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
