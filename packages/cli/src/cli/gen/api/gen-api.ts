/** `zeroscope gen api FILE.api`: the HTTP API's code from go-zero's .api file, written safely. */
import { existsSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { CliRunError } from '../../errors.ts';
import type { GenResult } from '../rpc/gen-rpc.ts';
import { applyPlan } from '../write-plan.ts';
import { apiLayout } from './api-layout.ts';
import { loadApi } from './model.ts';

export interface GenApiOptions {
  apiFile: string;
  /** The service folder (default: the .api file's folder). */
  dir?: string;
  /** Entry and config name (default: the .api file's base name). */
  name?: string;
  dryRun?: boolean;
}

/** Parses, checks, lays out and writes (or, dry, only plans) one HTTP API. */
export function genApi(options: GenApiOptions): GenResult {
  const apiFile = resolve(options.apiFile);
  if (!existsSync(apiFile)) throw new CliRunError(`${options.apiFile}: no such file`);
  const dir = resolve(options.dir ?? dirname(apiFile));
  const name = options.name ?? basename(apiFile, '.api');
  if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(name)) throw new CliRunError(`"${name}" cannot name a service entry (letters, digits, - and _)`);
  const model = loadApi(apiFile);
  const files = apiLayout({ name, apiSource: basename(apiFile), model });
  return { dir, outcomes: applyPlan(dir, files, { dryRun: options.dryRun }) };
}
