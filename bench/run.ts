/**
 * Runs the benchmarks and writes BENCHMARKS.md (the issue "Benchmarks: what tracing costs…"):
 *   node --import tsx bench/run.ts [chain] [ingest] [query] [ui] [--quick] [--write|--no-write]
 *     [--<knob> N] [--profile=DIR]
 * With no bench named, all four run. Tables go to stdout as each bench ends; progress to stderr.
 * A bench that fails is reported as failed and the others still run. BENCHMARKS.md is rewritten
 * after a full-length run; `--quick` (a smoke run) only prints unless `--write` is given. `--profile=DIR` runs the
 * chain's services and the ingest backend under `node --cpu-prof` (profiles land in DIR, one
 * folder per process) and adds the profile table ("where the microseconds of a traced request
 * go"); profiled figures are not comparable, so only that table is written into BENCHMARKS.md.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHAIN_DEFAULTS, CHAIN_QUICK, runChain } from './chain.ts';
import { DEFAULT_VARIANTS, PROFILE_VARIANTS, VARIANTS, type VariantId } from './lib/chain-variants.ts';
import { INGEST_DEFAULTS, INGEST_QUICK, runIngest } from './ingest.ts';
import { machineInfo } from './lib/machine.ts';
import { log, numericOverrides, parseArgv } from './lib/options.ts';
import { killStragglers } from './lib/processes.ts';
import { provenance, renderSection, SECTION_ORDER, SECTION_TITLES, writeReport } from './lib/report-file.ts';
import type { BenchSection } from './lib/section.ts';
import { QUERY_DEFAULTS, QUERY_QUICK, runQuery } from './query.ts';
import { runUi, UI_DEFAULTS, UI_QUICK } from './ui.ts';

type BenchId = (typeof SECTION_ORDER)[number];

const argv = parseArgv(process.argv.slice(2));
const quick = argv.flags.get('quick') === 'true';
const unknown = argv.words.filter((w) => !(SECTION_ORDER as readonly string[]).includes(w));
if (unknown.length) {
  console.error(`unknown bench ${unknown.join(', ')}; choose from ${SECTION_ORDER.join(', ')}`);
  process.exit(2);
}
const knobs = [CHAIN_DEFAULTS, INGEST_DEFAULTS, QUERY_DEFAULTS, UI_DEFAULTS].flatMap((d) => Object.keys(d));
const known = new Set(['quick', 'write', 'no-write', 'profile', 'variants', ...knobs.map((k) => k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`))]);
const strange = [...argv.flags.keys()].filter((f) => !known.has(f));
if (strange.length) {
  console.error(`unknown option ${strange.map((f) => `--${f}`).join(', ')}; known: ${[...known].map((f) => `--${f}`).join(' ')}`);
  process.exit(2);
}
const profileFlag = argv.flags.get('profile');
if (profileFlag === 'true') {
  console.error('--profile needs a folder: --profile=DIR');
  process.exit(2);
}
const profileDir = profileFlag ? resolve(profileFlag) : undefined;
// `--variants A,C`: run only those chain variants (for A/B experiments; the ratios needing others are left out).
const variantsFlag = argv.flags.get('variants');
if (variantsFlag === 'true') {
  console.error('--variants needs a list: --variants=A,C');
  process.exit(2);
}
const chainVariants = variantsFlag === undefined ? [...(profileDir ? PROFILE_VARIANTS : DEFAULT_VARIANTS)] : variantsFlag.toUpperCase().split(',').map((v) => v.trim());
const badVariant = chainVariants.find((v) => !VARIANTS.some((spec) => spec.id === v));
if (badVariant !== undefined) {
  console.error(`--variants: unknown variant "${badVariant}"; choose from ${VARIANTS.map((v) => v.id).join(',')}`);
  process.exit(2);
}
const selected: BenchId[] = argv.words.length ? SECTION_ORDER.filter((id) => argv.words.includes(id)) : [...SECTION_ORDER];

const benches: Record<BenchId, () => Promise<BenchSection>> = {
  chain: () => runChain(numericOverrides(quick ? CHAIN_QUICK : CHAIN_DEFAULTS, argv.flags), profileDir, chainVariants as VariantId[]),
  ingest: () => runIngest(numericOverrides(quick ? INGEST_QUICK : INGEST_DEFAULTS, argv.flags), profileDir),
  query: () => runQuery(numericOverrides(quick ? QUERY_QUICK : QUERY_DEFAULTS, argv.flags)),
  ui: () => runUi(numericOverrides(quick ? UI_QUICK : UI_DEFAULTS, argv.flags)),
};

const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
const rendered = new Map<string, string>();
let failed = 0;
const started = Date.now();
for (const id of selected) {
  const machine = machineInfo();
  const benchStarted = Date.now();
  log(`${id}: starting${quick ? ' (quick)' : ''}`);
  let section: BenchSection;
  try {
    section = await benches[id]();
  } catch (err) {
    failed++;
    log(`${id}: FAILED: ${(err as Error).stack ?? err}`);
    section = { id, title: SECTION_TITLES[id], body: `**Failed:** \`${String((err as Error).message ?? err).split('\n')[0]}\`` };
  }
  const stragglers = await killStragglers();
  if (stragglers) log(`${id}: killed ${stragglers} child process(es) left running`);
  log(`${id}: done in ${Math.round((Date.now() - benchStarted) / 1000)} s`);
  for (const part of [section, ...(section.extra ?? [])]) {
    const text = renderSection(part, provenance(machine, command));
    rendered.set(part.id, text);
    process.stdout.write(`\n${text}\n`);
  }
}

if (profileDir) {
  // Profiled figures are not comparable with unprofiled ones: only the profile table is written.
  const profile = rendered.get('profile');
  if (profile && argv.flags.get('no-write') !== 'true') {
    writeReport(fileURLToPath(new URL('../BENCHMARKS.md', import.meta.url)), machineInfo(), new Map([['profile', profile]]));
    log(`profiles in ${profileDir} (open in Chrome DevTools or speedscope); BENCHMARKS.md: only its profile table rewritten`);
  } else log(`profiles in ${profileDir} (open in Chrome DevTools or speedscope); BENCHMARKS.md not rewritten`);
}
else if (variantsFlag !== undefined) log('--variants: a partial chain run; BENCHMARKS.md not rewritten');
else if (argv.flags.get('no-write') !== 'true' && (!quick || argv.flags.get('write') === 'true')) {
  const path = fileURLToPath(new URL('../BENCHMARKS.md', import.meta.url));
  writeReport(path, machineInfo(), rendered);
  log(`wrote ${path}`);
}
log(`all done in ${Math.round((Date.now() - started) / 1000)} s`);
// Children are stopped already; exiting explicitly also ends any handle a library left open.
process.exit(failed ? 1 : 0);
