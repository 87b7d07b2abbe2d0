import { ConfigError } from './errors.ts';

/**
 * The config file named by `-f` (also `-f=x`, `--f x`, `--f=x`, as Go's flag package accepts), else
 * `fallback`. Service entry points call it with `process.argv`.
 *
 * @example
 *   const file = configFileFromArgs(process.argv, 'etc/order.yaml');
 */
export function configFileFromArgs(argv: string[], fallback?: string): string {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const inline = /^--?f=(.*)$/.exec(arg);
    if (inline) {
      if (inline[1]) return inline[1];
      throw missing();
    }
    if (arg === '-f' || arg === '--f') {
      const next = argv[i + 1];
      if (next === undefined || next === '' || next.startsWith('-')) throw missing();
      return next;
    }
  }
  if (fallback !== undefined) return fallback;
  throw new ConfigError('CONF_ERR_ARGS', '', 'no config file: pass -f <file>');
}

function missing(): ConfigError {
  return new ConfigError('CONF_ERR_ARGS', '', 'flag -f needs a config file: -f etc/service.yaml');
}
