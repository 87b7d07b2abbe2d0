import { useEffect, useState } from 'preact/hooks';

/** State of one async load. */
export type AsyncState<T> = { status: 'loading' } | { status: 'done'; value: T } | { status: 'error'; error: unknown };

/**
 * Runs `load` whenever `deps` change, aborting the previous run, and exposes its state.
 * Results of an aborted run are dropped so a slow old answer cannot replace a newer one.
 */
export function useAsync<T>(load: (signal: AbortSignal) => Promise<T>, deps: unknown[]): AsyncState<T> {
  const [state, setState] = useState<AsyncState<T>>({ status: 'loading' });
  useEffect(() => {
    const ctrl = new AbortController();
    setState({ status: 'loading' });
    load(ctrl.signal).then(
      (value) => {
        if (!ctrl.signal.aborted) setState({ status: 'done', value });
      },
      (error: unknown) => {
        if (!ctrl.signal.aborted) setState({ status: 'error', error });
      },
    );
    return () => ctrl.abort();
  }, deps);
  return state;
}
