import type { z } from 'zod';
import { ConfigError } from './errors.ts';
import { loadConfig, type LoadConfigOptions } from './load-config.ts';

/**
 * go-zero's conf.MustLoad for a service's entry point: {@link loadConfig}, but a bad config
 * prints its message (file, key path, expectation — one line per problem) and exits 1 instead of
 * surfacing as an uncaught stack trace. Other errors still throw.
 *
 * @example
 *   const conf = mustLoadConfig(configFileFromArgs(process.argv, 'etc/order.yaml'), OrderConfSchema);
 */
export function mustLoadConfig<S extends z.ZodType>(
  file: string,
  schema: S,
  options: LoadConfigOptions & { exit?: (code: number) => never; stderr?: (text: string) => void } = {},
): z.infer<S> {
  try {
    return loadConfig(file, schema, options);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    (options.stderr ?? ((text) => process.stderr.write(text)))(`error: bad config [${err.code}]\n${err.message}\n`);
    return (options.exit ?? process.exit)(1);
  }
}
