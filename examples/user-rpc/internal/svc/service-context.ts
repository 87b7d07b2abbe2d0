import type { Config } from '../config/config.ts';
import { memoryStore, type UserStore } from './store.ts';

/** What the logic depends on (go-zero's ServiceContext): the config and the user store. */
export interface ServiceContext {
  config: Config;
  store: UserStore;
}

export function newServiceContext(config: Config): ServiceContext {
  return { config, store: memoryStore() };
}
