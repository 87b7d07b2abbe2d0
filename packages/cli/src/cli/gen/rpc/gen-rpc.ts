/** `zeroscope gen rpc FILE.proto`: the service's code from its .proto, written safely. */
import { existsSync } from 'node:fs';
import { basename, dirname, relative, resolve } from 'node:path';
import { CliRunError } from '../../errors.ts';
import { applyPlan, type WriteOutcome } from '../write-plan.ts';
import { compileProto } from './compile-proto.ts';
import { servicesOf } from './proto-model.ts';
import { rpcLayout } from './rpc-layout.ts';

export interface GenRpcOptions {
  /** The .proto to generate from. */
  protoFile: string;
  /** The service folder (default: the .proto's folder). */
  dir?: string;
  /** The import root of the .proto (default: its folder). */
  protoPath?: string;
  /** Entry and config name (default: the .proto's base name). */
  name?: string;
  dryRun?: boolean;
}

export interface GenResult {
  dir: string;
  outcomes: WriteOutcome[];
}

/** Compiles, lays out and writes (or, dry, only plans) one RPC service. */
export async function genRpc(options: GenRpcOptions): Promise<GenResult> {
  const protoFile = resolve(options.protoFile);
  if (!existsSync(protoFile)) throw new CliRunError(`${options.protoFile}: no such file`);
  const protoRoot = resolve(options.protoPath ?? dirname(protoFile));
  const dir = resolve(options.dir ?? dirname(protoFile));
  const name = options.name ?? basename(protoFile, '.proto');
  if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(name)) throw new CliRunError(`"${name}" cannot name a service entry (letters, digits, - and _)`);
  const compiled = await compileProto(protoFile, protoRoot);
  const services = servicesOf(compiled.image, relative(protoRoot, protoFile).split('\\').join('/'));
  const files = rpcLayout({ name, protoSource: basename(protoFile), compiled, services });
  return { dir, outcomes: applyPlan(dir, files, { dryRun: options.dryRun }) };
}
