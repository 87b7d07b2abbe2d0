/**
 * Old public names kept working after the middleware folders got one shape and one export suffix
 * each (`servermiddlewares/*ServerMiddleware`). Each is the same function as its new name.
 */
import { recoverServerMiddleware } from './servermiddlewares/recover.ts';
import { sheddingServerMiddleware } from './servermiddlewares/shedding.ts';
import { timeoutServerMiddleware } from './servermiddlewares/timeout.ts';

/** @deprecated Use {@link recoverServerMiddleware}. */
export const recoverMiddleware: typeof recoverServerMiddleware = recoverServerMiddleware;
/** @deprecated Use {@link sheddingServerMiddleware}. */
export const sheddingMiddleware: typeof sheddingServerMiddleware = sheddingServerMiddleware;
/** @deprecated Use {@link timeoutServerMiddleware}. */
export const timeoutMiddleware: typeof timeoutServerMiddleware = timeoutServerMiddleware;
