/**
 * A preload for a service's start command, `node --import zeroscope/compile-cache dist/order.js`:
 * on Node 22.1 and later it turns Node's on-disk compile cache on (`module.enableCompileCache`,
 * in the OS temp folder) before the service's first module is loaded, so every start after the
 * first skips compiling the code it loads (BENCHMARKS.md has the start-up it saves on Node 24).
 * Node 20 has no compile cache; there it does nothing. It imports nothing but `node:module`: a
 * preload runs before the entry is even resolved, which is what lets the cache cover the whole
 * module graph (enabled from inside the entry it would come after the entry's static imports were
 * compiled). `NODE_COMPILE_CACHE` and `NODE_DISABLE_COMPILE_CACHE` keep their meaning.
 */
import module from 'node:module';

/** What Node 22.1+ adds to `node:module` for the cache; Node 20 (and its type definitions) lack it. */
interface CompileCacheApi {
  enableCompileCache?: (directory?: string) => { status: number };
  constants?: { compileCacheStatus?: Record<string, number> };
}

/**
 * Turns the compile cache on where Node has one; true when it is on afterwards (enabled now or
 * before, by `NODE_COMPILE_CACHE`), false on Node 20, when disabled, or when the folder is unusable.
 */
export function enableCompileCache(): boolean {
  const api = module as unknown as CompileCacheApi;
  if (api.enableCompileCache === undefined) return false;
  const { status } = api.enableCompileCache();
  const statuses = api.constants?.compileCacheStatus ?? {};
  return status === statuses.ENABLED || status === statuses.ALREADY_ENABLED;
}

enableCompileCache();
