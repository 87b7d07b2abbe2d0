// Summarises Node --cpu-prof profiles by category (used for the table in ../README.md): each sample
// goes to the nearest frame outside Node internals. node profile-summary.mjs DIR [category-prefix [x]]
// prints the newest profile in DIR by category, and with a prefix the hottest functions of it.
import { readFileSync, readdirSync } from 'node:fs';
const dir = process.argv[2];
const file = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).sort().at(-1);
const p = JSON.parse(readFileSync(`${dir}/${file}`, 'utf8'));
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const rules = [
  ['ctx: context manager / async_hooks', (u, f) => /context-async-hooks|async_local_storage/.test(u) || (/async_hooks/.test(u) && /^(emit|promise|lookupPublicResource|pushAsyncContext|popAsyncContext|_propagate|run|getStore|enterWith|executionAsyncResource|init|exit|clearAsyncIdStack|hasHooks|enabledHooksExist|initHooksExist|destroyHooksExist|triggerAsyncId|executionAsyncId|newAsyncId|getDefaultTriggerAsyncId|defaultTriggerAsyncIdScope)/.test(f))],
  ['export: otlp-transformer encode', (u) => /otlp-transformer/.test(u)],
  ['export: zeroscope OTLP encoder (trace/otlp)', (u) => /trace\/otlp\//.test(u)],
  ['span: zeroscope lean span/tracer (trace/lean)', (u) => /trace\/lean\//.test(u)],
  ['export: otlp-exporter-base (+http send)', (u) => /otlp-exporter-base|exporter-trace-otlp/.test(u)],
  ['export: zeroscope export-guard/retry-after', (u) => /trace\/(export-guard|retry-after|export-health)/.test(u)],
  ['processor: BatchSpanProcessor + span-queue', (u) => /BatchSpanProcessor|MultiSpanProcessor|trace\/span-queue/.test(u)],
  ['sdk: sampler', (u) => /sampler\//i.test(u)],
  ['sdk: Span (attributes, events, end)', (u) => /sdk-trace(-base)?\/build\/src\/Span\.js|sdk-trace(-base)?\/build\/src\/utility|core\/build\/src\/common\/attributes|core\/build\/src\/common\/time/.test(u)],
  ['sdk: Tracer.startSpan + ids', (u) => /sdk-trace/.test(u)],
  ['propagation (W3C, baggage)', (u) => /core\/build\/src\/(trace|baggage)|propagation|metadata-carrier/.test(u)],
  ['api (context/trace facade)', (u) => /@opentelemetry\/api\//.test(u)],
  ['zeroscope precise-span/clock/tracer', (u) => /trace\/(precise-span|clock|tracer)\.js/.test(u)],
  ['instrumentations (http/undici/base)', (u) => /instrumentation/.test(u)],
  ['rest tracing middleware', (u) => /rest\/handlers\/tracing/.test(u)],
  ['rpc tracing interceptors', (u) => /(server|client)interceptors\/tracing/.test(u)],
];
const cat = new Map();
function catOf(id) {
  if (cat.has(id)) return cat.get(id);
  const n = byId.get(id);
  const u = n.callFrame.url, f = n.callFrame.functionName;
  let c;
  if (f === '(idle)') c = '(idle)';
  else if (f === '(garbage collector)') c = 'GC';
  else if (f === '(program)') c = '(program)';
  else {
    for (const [name, test] of rules) if (u && test(u, f)) { c = name; break; }
    
    // node internals and natives are transparent: they belong to whoever called them
    const internal = u === '' || u.startsWith('node:');
    if (!c && internal) { const par = parent.get(id); c = par === undefined ? 'other' : catOf(par); }
    if (!c) c = 'other';
  }
  cat.set(id, c);
  return c;
}
// Walk up: the nearest categorised frame wins; uncategorised (node internals, app) → parent's category, else 'other'
const totals = new Map();
let total = 0;
let t = 0;
const start = p.samples.findIndex((s) => { let id = s; while (id !== undefined) { const u = byId.get(id).callFrame.url; if (/examples\/(order-api|user-rpc)\/internal/.test(u)) return true; id = parent.get(id);} return false; });
for (let i = Math.max(0, start); i < p.samples.length; i++) {
  const c = catOf(p.samples[i]);
  const dt = p.timeDeltas[i] ?? 0;
  if (c === '(idle)') continue;
  totals.set(c, (totals.get(c) ?? 0) + dt);
  total += dt;
}
const rows = [...totals].sort((a, b) => b[1] - a[1]);
console.log(`${dir}: busy ${(total / 1000).toFixed(0)} ms`);
for (const [c, us] of rows) console.log(`  ${(100 * us / total).toFixed(1).padStart(5)}%  ${process.env.CPU ? (us / total * Number(process.env.CPU)).toFixed(1).padStart(6) + " µs/req" : ""}  ${c}`);
if (process.argv[3]) {
  const want = process.argv[3];
  const fn = new Map();
  for (let i = Math.max(0, start); i < p.samples.length; i++) {
    const id = p.samples[i];
    if (!catOf(id).startsWith(want)) continue;
    const n = byId.get(id);
    // self frame + nearest categorised frame
    let k = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.replace(/.*node_modules\//, '').replace(/.*\/dist\//, 'dist/')}:${n.callFrame.lineNumber}`;
    if (process.argv[4]) { let pid = parent.get(id); const pn = byId.get(pid); k += '  <- ' + (pn?.callFrame.functionName || '(anon)') + ' ' + (pn?.callFrame.url.replace(/.*\//,'')??''); }
    fn.set(k, (fn.get(k) ?? 0) + (p.timeDeltas[i] ?? 0));
  }
  for (const [k, us] of [...fn].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.TOPN ?? 25))) console.log(`    ${(100 * us / total).toFixed(2).padStart(6)}%  ${k}`);
}
