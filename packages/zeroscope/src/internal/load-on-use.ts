import { createRequire } from 'node:module';

/**
 * `require` for the packages a module needs on one path only (one exporter of six, the logs SDK):
 * loaded on first use rather than imported, so a service that never takes the path pays neither
 * its start-up time nor its memory. They are CommonJS packages, which Node resolves to the same
 * build for import and require, so nothing is loaded twice.
 */
export const loadOnUse = createRequire(import.meta.url);
