/**
 * `zeroscope new rpc NAME [--proto FILE]` and `zeroscope new api NAME [--api FILE]`: a service
 * folder laid out like go-zero's (goctl rpc new / goctl api new), with a starting .proto or
 * .api (or a copy of yours), everything `gen` makes from it, and a package.json and tsconfig.json
 * when the folder is not inside a project yet.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { CliRunError, CliUsageError } from '../errors.ts';
import { formatFlags, parseFlags, type FlagSpec } from '../flags.ts';
import { report } from '../gen/command.ts';
import { genApi } from '../gen/api/gen-api.ts';
import { parseApi } from '../gen/api/parser.ts';
import { protoImports } from '../gen/rpc/compile-proto.ts';
import { genRpc, type GenResult } from '../gen/rpc/gen-rpc.ts';
import { applyPlan, type PlannedFile } from '../gen/write-plan.ts';
import type { CliIo } from '../io.ts';
import { insideProject, projectFiles } from './project-files.ts';
import { apiTemplate, protoTemplate } from './templates.ts';

export const NEW_FLAGS: readonly FlagSpec[] = [
  { name: 'dir', value: 'DIR', description: 'the folder to create (default: ./NAME)' },
  { name: 'proto', value: 'FILE', description: 'new rpc: start from a copy of this .proto (one file; imports of well-known types only)' },
  { name: 'api', value: 'FILE', description: 'new api: start from a copy of this .api file' },
  { name: 'dry-run', description: 'list what would be created, write nothing' },
];

export const NEW_HELP = `Usage: zeroscope new <rpc|api> NAME [flags]

  new rpc NAME    an RPC service: NAME.proto, pb/, internal/{server,logic,svc,config},
                  etc/NAME.yaml, NAME.ts and NAME.test.ts
  new api NAME    an HTTP API: NAME.api, internal/{types,handler,logic,svc,config},
                  etc/NAME.yaml, NAME.ts and NAME.test.ts

A folder outside any project also gets package.json and tsconfig.json: then \`npm install\`,
\`npm test\`, \`npm start\` (with \`npx zeroscope up\` running, each request is a trace).
Edit the .proto or .api and run \`npx zeroscope gen rpc|api\` again: your logic stays.

Flags:
${formatFlags(NEW_FLAGS)}`;

/** Runs `zeroscope new`; resolves with the exit status. */
export async function newCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const [kind, ...rest] = argv;
  if (kind === undefined || kind === '--help' || kind === '-h') {
    io.out(NEW_HELP);
    return kind === undefined ? 2 : 0;
  }
  if (kind !== 'rpc' && kind !== 'api') throw new CliUsageError('new', `unknown kind ${kind} (expected rpc or api)`);
  const parsed = parseFlags(`new ${kind}`, rest, NEW_FLAGS);
  if (parsed.help) {
    io.out(NEW_HELP);
    return 0;
  }
  if (parsed.positionals.length !== 1) throw new CliUsageError('new', `new ${kind} takes one NAME, got ${parsed.positionals.length}`);
  const name = parsed.positionals[0]!;
  if (!/^[a-z][a-z0-9_-]*$/.test(name)) throw new CliUsageError('new', `NAME must be lower case letters, digits, - or _ and start with a letter, got "${name}"`);
  const dir = resolve(io.cwd, parsed.values.get('dir') ?? name);
  const dryRun = parsed.values.has('dry-run');
  const sourceFlag = kind === 'rpc' ? 'proto' : 'api';
  const other = kind === 'rpc' ? 'api' : 'proto';
  if (parsed.values.has(other)) throw new CliUsageError('new', `--${other} is for new ${other === 'proto' ? 'rpc' : 'api'}`);
  const given = parsed.values.get(sourceFlag);
  const ext = kind === 'rpc' ? 'proto' : 'api';
  const sourceName = `${name}.${ext}`;
  let source: string;
  if (given === undefined) source = kind === 'rpc' ? protoTemplate(name) : apiTemplate(name);
  else {
    const path = resolve(io.cwd, given);
    if (!existsSync(path)) throw new CliRunError(`--${sourceFlag} ${given}: no such file`);
    source = readFileSync(path, 'utf8');
  }
  const first: PlannedFile[] = [{ path: sourceName, content: source, role: 'scaffold' }];
  // The files a given source imports come along, at the same relative paths.
  if (given !== undefined) {
    const from = dirname(resolve(io.cwd, given));
    const imported = kind === 'rpc' ? await protoImports(resolve(io.cwd, given)) : apiImports(resolve(io.cwd, given));
    for (const path of imported) first.push({ path, content: readFileSync(join(from, path), 'utf8'), role: 'scaffold' });
  }
  if (!insideProject(dir)) first.push(...projectFiles(name, name, `gen ${kind} ${sourceName}`));
  if (dryRun) {
    // Generate from a copy of the source in a temp folder, so the plan lists every file.
    const scratch = mkdtempSync(join(tmpdir(), 'zeroscope-new-'));
    try {
      for (const file of first) {
        mkdirSync(dirname(join(scratch, file.path)), { recursive: true });
        writeFileSync(join(scratch, file.path), file.content);
      }
      const planned = applyPlan(dir, first, { dryRun: true });
      const generated =
        kind === 'rpc'
          ? await genRpc({ protoFile: join(scratch, sourceName), dir, name, dryRun: true })
          : genApi({ apiFile: join(scratch, sourceName), dir, name, dryRun: true });
      report(io, { dir, outcomes: [...planned, ...generated.outcomes] }, true);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
    return 0;
  }
  const started = applyPlan(dir, first);
  const generated: GenResult =
    kind === 'rpc'
      ? await genRpc({ protoFile: resolve(dir, sourceName), dir, name })
      : genApi({ apiFile: resolve(dir, sourceName), dir, name });
  report(io, { dir, outcomes: [...started, ...generated.outcomes] }, false);
  if (first.length > 1) io.out(`next: cd ${basename(dir)} && npm install && npm test && npm start`);
  return 0;
}

/** The .api files `file` imports, directly or not, relative to its folder (which they must be inside). */
function apiImports(file: string): string[] {
  const base = dirname(file);
  const found: string[] = [];
  const visit = (path: string) => {
    for (const imp of parseApi(readFileSync(path, 'utf8'), path).imports) {
      const target = resolve(dirname(path), imp.path);
      const rel = relative(base, target).split('\\').join('/');
      if (rel.startsWith('..')) throw new CliRunError(`${path} imports ${imp.path}, outside ${base}: use gen api on the original instead`);
      if (found.includes(rel)) continue;
      found.push(rel);
      visit(target);
    }
  };
  visit(file);
  return found;
}
