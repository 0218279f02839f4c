// Precision and recall of the tool-poisoning rules (src/scanner/poisoning) on the labelled corpus
// ../shared/data/tool-descriptions.jsonl, per source, per vector and per attack category, on a
// development half and a held-out half (split by a hash of the row id), plus throughput.
// Also reports the hand-written independent set test/fixtures/scanner/tool-descriptions-fresh.jsonl
// (see its README), whose rows are all visible (`--show fresh` prints its misses and false alarms).
//   npm run bench -- scanner-quality [--data FILE] [--show dev|holdout|all|fresh|real] [--min-severity medium]
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { median } from './lib/common.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, '..', 'dist', 'scanner', 'poisoning', 'index.js');
if (!existsSync(dist)) {
  console.error('dist is missing: run `npx tsc -p tsconfig.build.json; node scripts/copy-assets.mjs` (or `npm run bench`, which builds).');
  process.exit(2);
}
if (!existsSync(join(dirname(dist), 'rules'))) {
  console.error('dist/scanner/poisoning/rules is missing: scripts/copy-assets.mjs must copy src/scanner/poisoning/rules (see bench/README.md).');
  process.exit(2);
}
const { checkToolDefinition, loadPoisonRules } = await import(dist);

const { values: args } = parseArgs({
  options: {
    data: { type: 'string', default: join(here, '..', '..', 'shared', 'data', 'tool-descriptions.jsonl') },
    show: { type: 'string' }, // print misses and false alarms of this half
    'min-severity': { type: 'string', default: 'medium' },
    runs: { type: 'string', default: '5' },
  },
});
const SEV = ['info', 'low', 'medium', 'high', 'critical'];
const minSev = SEV.indexOf(args['min-severity']);
if (minSev < 0) {
  console.error(`--min-severity must be one of ${SEV.join(', ')}`);
  process.exit(2);
}

const { corpusHalf: half, toolFromRow: toTool, realToolHalf, toolFromRealRow } = await import(join(dirname(dist), 'labelled-rows.js'));

const readRows = (file) => readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
const rows = readRows(args.data);
const rules = loadPoisonRules();
/** Findings at or above --min-severity: what counts as flagging a tool. */
const seriousFindings = (tool) => checkToolDefinition(tool, { rules }).filter((f) => SEV.indexOf(f.severity) >= minSev);
const judge = (row, withName = false) => {
  const findings = seriousFindings(toTool(row, withName));
  return { row, half: half(row.id), flagged: findings.length > 0, findings };
};
const verdicts = rows.map((row) => judge(row));

function score(list, positive = (r) => r.label === 'malicious') {
  let tp = 0, fp = 0, fn = 0, tn = 0;
  for (const v of list) {
    const pos = positive(v.row);
    if (v.flagged && pos) tp++;
    else if (v.flagged) fp++;
    else if (pos) fn++;
    else tn++;
  }
  const p = tp + fp ? tp / (tp + fp) : NaN;
  const r = tp + fn ? tp / (tp + fn) : NaN;
  return { n: list.length, tp, fp, fn, tn, p, r };
}
const fmt = (x) => (Number.isNaN(x) ? '  -  ' : x.toFixed(3));
function line(label, s) {
  console.log(`${label.padEnd(44)} n=${String(s.n).padStart(3)}  tp=${String(s.tp).padStart(3)} fp=${String(s.fp).padStart(2)} fn=${String(s.fn).padStart(3)} tn=${String(s.tn).padStart(3)}  precision ${fmt(s.p)}  recall ${fmt(s.r)}`);
}
function groupBy(list, key) {
  const m = new Map();
  for (const v of list) {
    const k = key(v.row) ?? '-';
    if (!m.has(k)) m.set(k, []);
    m.get(k).push(v);
  }
  return [...m].sort((a, b) => String(a[0]).localeCompare(String(b[0]), 'en', { numeric: true }));
}

console.log(`tool-poisoning quality on ${args.data} (${rows.length} rows, ${rules.length} rules, flag = any finding >= ${args['min-severity']})`);
console.log('positives: label "malicious"; "malicious_server" rows (harmless-looking tools of a bad server) are reported apart.\n');
const tdOnly = (v) => v.row.vector === 'tool_description' && v.row.label !== 'malicious_server';
for (const h of ['dev', 'holdout', 'all']) {
  const inHalf = verdicts.filter((v) => h === 'all' || v.half === h);
  console.log(`== ${h} ==`);
  line('TARGET tool_description (excl. malicious_server)', score(inHalf.filter(tdOnly)));
  line('tool_description, malicious_server as positive', score(inHalf.filter((v) => v.row.vector === 'tool_description'), (r) => r.label !== 'benign'));
  line('all rows (excl. malicious_server)', score(inHalf.filter((v) => v.row.label !== 'malicious_server')));
  for (const [k, list] of groupBy(inHalf.filter((v) => v.row.label !== 'malicious_server'), (r) => r.vector)) line(`  vector ${k}`, score(list));
  for (const [k, list] of groupBy(inHalf.filter((v) => v.row.label !== 'malicious_server'), (r) => r.source)) line(`  source ${k}`, score(list));
  for (const [k, list] of groupBy(inHalf.filter((v) => v.row.label === 'malicious'), (r) => r.attack_category)) line(`  category ${k} (malicious only)`, score(list));
  line('  malicious_server rows (recall only)', score(inHalf.filter((v) => v.row.label === 'malicious_server'), () => true));
  console.log('');
}
const named = rows.map((row) => judge(row, true));
console.log('== secondary: each description checked under its row\'s tool_name (as the scanner sees a tool) ==');
for (const h of ['dev', 'holdout', 'all']) line(`${h}: tool_description (excl. malicious_server)`, score(named.filter((v) => (h === 'all' || v.half === h) && tdOnly(v))));
console.log('');

const byRule = new Map();
for (const v of verdicts) for (const f of v.findings) {
  const e = byRule.get(f.ruleId) ?? { mal: 0, ben: 0 };
  v.row.label === 'benign' ? e.ben++ : e.mal++;
  byRule.set(f.ruleId, e);
}
console.log('rows flagged per rule (malicious+malicious_server / benign):');
for (const [id, e] of [...byRule].sort((a, b) => b[1].mal - a[1].mal)) console.log(`  ${id.padEnd(40)} ${String(e.mal).padStart(4)} / ${e.ben}`);

const freshFile = join(here, '..', 'test', 'fixtures', 'scanner', 'tool-descriptions-fresh.jsonl');
const freshVerdicts = existsSync(freshFile) ? readRows(freshFile).map((row) => judge(row)) : [];
if (freshVerdicts.length) {
  console.log(`\n== fresh: ${freshFile} (${freshVerdicts.length} rows, all visible) ==`);
  line('fresh set', score(freshVerdicts));
  // Batches the learned model was trained on (the model file says which) score as training data.
  const learned = rules.find((r) => r.classifierModel)?.classifierModel;
  const trained = new Set(learned?.trainedOn?.freshBatches ?? []);
  for (const [k, list] of groupBy(freshVerdicts, (r) => `batch ${r.batch ?? 1}`)) {
    line(`  ${k}${trained.has(Number(k.split(' ')[1])) ? ' (model trained on it)' : ' (unseen by the model)'}`, score(list));
  }
  for (const [k, list] of groupBy(freshVerdicts.filter((v) => v.row.label === 'malicious'), (r) => r.attack_category)) line(`  category ${k} (malicious only)`, score(list));
  for (const [k, list] of groupBy(freshVerdicts.filter((v) => v.row.label === 'benign'), (r) => r.topic)) line(`  topic ${k} (benign only)`, score(list));
  const benignAll = [...verdicts.filter((v) => v.row.label === 'benign'), ...freshVerdicts.filter((v) => v.row.label === 'benign')];
  const fpAll = benignAll.filter((v) => v.flagged).length;
  console.log(`benign rows flagged (corpus + fresh): ${fpAll} of ${benignAll.length}`);
}

// Ordinary tools of published servers, benign by provenance: how often a real tool is flagged.
// The third pass (see real-server-tools.README.md) is kept apart and not trained on, so both halves
// of its packages measure the checks as unseen real tools; its rows are labelled `pass 3`.
const realVerdictsOf = (file, label) =>
  existsSync(file) ? readRows(file).map((row) => ({ row, half: label ?? realToolHalf(row), findings: seriousFindings(toolFromRealRow(row)) })) : [];
const realDir = join(here, '..', 'test', 'fixtures', 'scanner');
const realFile = join(realDir, 'real-server-tools.jsonl');
const realVerdicts = [...realVerdictsOf(realFile), ...realVerdictsOf(join(realDir, 'real-server-tools-pass3.jsonl'), 'pass 3')];
const realNotes = { dev: 'the model is trained on these packages', holdout: 'packages unseen by the model', 'pass 3': 'not trained on' };
if (realVerdicts.length) {
  console.log(`\n== real servers' tools: ${realFile} and its third pass (${realVerdicts.length} tools of ${new Set(realVerdicts.map((v) => v.row.package)).size} packages, benign by provenance) ==`);
  for (const h of ['dev', 'holdout', 'pass 3']) {
    const list = realVerdicts.filter((v) => v.half === h);
    if (list.length === 0) continue;
    const flagged = list.filter((v) => v.findings.length);
    console.log(`${h.padEnd(8)} ${String(flagged.length).padStart(3)} of ${String(list.length).padStart(4)} tools flagged (${((100 * flagged.length) / list.length).toFixed(1)}%; ${realNotes[h]}; ${new Set(list.map((v) => v.row.package)).size} packages)`);
    if (h === 'dev') continue;
    const byRule = new Map();
    for (const v of list) for (const f of v.findings) byRule.set(f.ruleId, (byRule.get(f.ruleId) ?? 0) + 1);
    if (byRule.size) console.log(`  ${h} findings per rule: ${[...byRule].map(([id, n]) => `${id} ${n}`).join(', ')}`);
  }
}

if (args.show) {
  if (args.show === 'real') {
    for (const v of realVerdicts) if (v.findings.length) console.log(`  [${v.half}] ${v.row.package} ${v.row.name}: ${v.findings.map((f) => f.ruleId).join(',')}: ${JSON.stringify(v.row.description).slice(0, 140)}`);
  }
  const pick = args.show === 'real' ? [] : args.show === 'fresh' ? freshVerdicts : verdicts.filter((v) => args.show === 'all' || v.half === args.show);
  console.log(`\nmisses (${args.show}):`);
  for (const v of pick) if (v.row.label !== 'benign' && !v.flagged) console.log(`  [${v.row.label}/${v.row.attack_category ?? '-'}] ${JSON.stringify(v.row.text).slice(0, 160)}`);
  console.log(`\nfalse alarms (${args.show}):`);
  for (const v of pick) if (v.row.label === 'benign' && v.flagged) console.log(`  ${v.findings.map((f) => f.ruleId).join(',')}: ${JSON.stringify(v.row.text).slice(0, 160)}`);
}

// Throughput: all rows through every rule, against the baseline of only extracting and
// normalizing their text (the fixed cost any analysis pays), medians over runs.
const { normalizeText } = await import(join(here, '..', 'dist', 'scanner', 'poisoning', 'normalize.js'));
const tools = rows.map(toTool);
const runs = Math.max(1, Number(args.runs));
const time = (fn) => {
  const out = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    out.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return median(out);
};
const base = time(() => { for (const t of tools) normalizeText(t.description ?? ''); });
const full = time(() => { for (const t of tools) checkToolDefinition(t, { rules }); });
console.log(`\nthroughput (median of ${runs}): ${tools.length} tools checked in ${full.toFixed(1)} ms = ${Math.round(tools.length / (full / 1000))} tools/s; normalize-only baseline ${base.toFixed(1)} ms (ratio ${(full / base).toFixed(1)}x)`);
