// Placeholder barrel: the service helper replaces this with the real lifecycle (set-up, group, signals).
export { setUp } from './setup.ts';
