#!/usr/bin/env node
// Trains the learned tool-poisoning model (src/scanner/poisoning/classifier.ts) and writes it next
// to its rule: src/scanner/poisoning/rules/mcp-tool-learned-poisoning/model.json.
//
//   npm run build && node scripts/train-tool-classifier.mjs [--lobo] [--dry-run] [--check]
//        [--threshold 0.8] [--options '{"l2":0.001}'] [--real-weight 3]
//
// Training rows: the development half of ../shared/data/tool-descriptions.jsonl (the same
// sha256(id) split as bench/scanner-quality; `malicious_server` rows left out), the fresh
// hand-written batches listed in TRAIN_BATCHES, and the development half (by package) of
// test/fixtures/scanner/real-server-tools.jsonl as benign rows. Never trained on: the corpus's
// held-out half, the held-out real packages and the newest blind batches, which measure the model.
//
// --lobo prints leave-one-batch-out figures: for each fresh batch written blind, a model trained
// on all other training rows scores it, together with the rules, as a new writer's tools would be
// scored; the real development tools are scored in three folds of packages. THRESHOLD is the lowest
// threshold (0.05 steps) at which the pooled precision of rules + model stays >= 0.90 and at most
// 2% of the real tools are flagged; the table shows it. --options and --real-weight override the
// training settings to compare them (with --dry-run nothing is written). --check exits 1 when the
// committed model differs from a fresh training run (used by the test suite).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { toolFeatures, trainClassifier, probability, readableByModel, DEFAULT_TRAIN_OPTIONS } = await import(join(root, 'dist/scanner/poisoning/classifier.js'));
const { toolTexts } = await import(join(root, 'dist/scanner/poisoning/tool-text.js'));
const { corpusHalf, toolFromRow, realToolHalf, toolFromRealRow } = await import(join(root, 'dist/scanner/poisoning/labelled-rows.js'));

/**
 * Fresh batches the model learns from (1-33); the blind batches written after them (34-38) measure
 * it and are added here only after they have been reported.
 */
export const TRAIN_BATCHES = Array.from({ length: 33 }, (_, i) => i + 1);
/**
 * Batches whose misses were read while writing rules (1 and 3 in session 2, 22-33 in sessions 5
 * and 6): their rule verdicts are training scores, so --lobo leaves them out.
 */
export const RULES_TUNED_ON = [1, 3, ...Array.from({ length: 12 }, (_, i) => i + 22)];
export const THRESHOLD = 0.65;
const LOBO_MIN_PRECISION = 0.9;
/** ...and at most this share of the real servers' tools (development packages, left out in their own fold) flagged. */
const LOBO_MAX_REAL_FLAGGED = 0.02;
const REAL_FOLDS = 3;
/**
 * Weight of a real server's tool in the loss (real tools stand for the ordinary tools that make up
 * most of what a scanner sees). With batches 1-17, 3 and 6 gained nothing over 1 (--lobo); with
 * batches 1-33, 3 kept the real tools flagged at 2.0% (dev folds) at threshold 0.65 where 1
 * needed 0.70, for the same precision and 1.6 points more recall (session 6).
 */
export const REAL_WEIGHT = 3;

const { values: args } = parseArgs({ options: { lobo: { type: 'boolean' }, check: { type: 'boolean' }, threshold: { type: 'string' }, options: { type: 'string' }, 'dry-run': { type: 'boolean' }, 'real-weight': { type: 'string' } } });
const corpusFile = process.env.WARDEN_DATA ? join(process.env.WARDEN_DATA, 'tool-descriptions.jsonl') : join(root, '..', 'shared', 'data', 'tool-descriptions.jsonl');
const freshFile = join(root, 'test', 'fixtures', 'scanner', 'tool-descriptions-fresh.jsonl');
const realFile = join(root, 'test', 'fixtures', 'scanner', 'real-server-tools.jsonl');
const modelFile = join(root, 'src', 'scanner', 'poisoning', 'rules', 'mcp-tool-learned-poisoning', 'model.json');
if (!existsSync(corpusFile)) {
  console.error(`${corpusFile} is missing: the model is trained on it (shared/ beside the checkout).`);
  process.exit(2);
}

const readRows = (file) => readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
// Each row keeps its tool; `readable` is false for tools the model does not judge (mostly
// non-Latin text; see readableByModel), which are not trained on.
const toRow = (tool, malicious, batch, weight) => {
  const texts = toolTexts(tool);
  return { tool, features: toolFeatures(tool), readable: readableByModel(texts), malicious, batch, ...(weight === undefined ? {} : { weight }) };
};
const corpusRows = readRows(corpusFile).filter((r) => corpusHalf(r.id) === 'dev' && r.label !== 'malicious_server').map((r) => toRow(toolFromRow(r), r.label === 'malicious', 'corpus'));
const freshRows = readRows(freshFile).filter((r) => TRAIN_BATCHES.includes(r.batch ?? 1)).map((r) => toRow(toolFromRow(r), r.label === 'malicious', r.batch ?? 1));
// Ordinary tools of published servers (development half of the packages): what most tools a
// scanner sees look like. Without them the model met ordinary tools only as hard negatives.
const realWeight = args['real-weight'] ? Number(args['real-weight']) : REAL_WEIGHT;
const realRows = readRows(realFile).filter((r) => realToolHalf(r) === 'dev').map((r) => ({ ...toRow(toolFromRealRow(r), false, 'real', realWeight), pkg: r.package }));
const rows = [...corpusRows, ...freshRows, ...realRows].filter((r) => r.readable);

const threshold = args.threshold ? Number(args.threshold) : THRESHOLD;
/** --options '{"l2": 0.001}' overrides training options (for comparing settings with --lobo --dry-run). */
const trainOptions = { ...DEFAULT_TRAIN_OPTIONS, ...(args.options ? JSON.parse(args.options) : {}) };

if (args.lobo) {
  const { checkToolDefinition, loadPoisonRules } = await import(join(root, 'dist/scanner/poisoning/index.js'));
  const rules = loadPoisonRules().filter((r) => r.matcher.type !== 'classifier');
  const flaggedByRules = (r) => checkToolDefinition(r.tool, { rules }).some((f) => f.severity !== 'low' && f.severity !== 'info');
  // A tool the model does not judge scores 0, as the rule does (it abstains).
  const score = (m, r) => ({ p: r.readable ? probability(m, r.features) : 0, rule: flaggedByRules(r), malicious: r.malicious });
  const scored = [];
  const held = TRAIN_BATCHES.filter((b) => !RULES_TUNED_ON.includes(b));
  for (const k of held) {
    const m = trainClassifier(rows.filter((r) => r.batch !== k), threshold, trainOptions);
    for (const r of freshRows.filter((x) => x.batch === k)) scored.push(score(m, r));
    process.stderr.write(`  batch ${k} scored\n`);
  }
  // Real servers' tools: three folds of packages, each scored by a model trained without its packages.
  const realFold = (r) => createHash('sha256').update(r.pkg).digest()[1] % REAL_FOLDS;
  const real = [];
  for (let k = 0; k < REAL_FOLDS; k++) {
    const m = trainClassifier(rows.filter((r) => r.batch !== 'real' || realFold(r) !== k), threshold, trainOptions);
    for (const r of realRows.filter((x) => realFold(x) === k)) real.push(score(m, r));
  }
  const pos = scored.filter((s) => s.malicious).length;
  console.log(`leave-one-batch-out over fresh batches ${held.join(', ')} (${scored.length} rows, ${pos} malicious), rules + model:`);
  let chosen;
  for (let t = 0.5; t < 0.999; t += 0.05) {
    const tp = scored.filter((s) => s.malicious && (s.rule || s.p >= t)).length;
    const fp = scored.filter((s) => !s.malicious && (s.rule || s.p >= t)).length;
    const p = tp / (tp + fp);
    const realFlagged = real.filter((s) => s.rule || s.p >= t).length / real.length;
    if (chosen === undefined && p >= LOBO_MIN_PRECISION && realFlagged <= LOBO_MAX_REAL_FLAGGED) chosen = Number(t.toFixed(2));
    console.log(`  threshold ${t.toFixed(2)}: precision ${p.toFixed(3)}, recall ${(tp / pos).toFixed(3)} (${fp} benign flagged); real servers' tools flagged ${(100 * realFlagged).toFixed(1)}% of ${real.length}`);
  }
  const rulesTp = scored.filter((s) => s.malicious && s.rule).length;
  const rulesFp = scored.filter((s) => !s.malicious && s.rule).length;
  console.log(`  rules alone: precision ${(rulesTp / (rulesTp + rulesFp)).toFixed(3)}, recall ${(rulesTp / pos).toFixed(3)}`);
  console.log(`  rules alone on real servers' tools: ${(100 * real.filter((s) => s.rule).length / real.length).toFixed(1)}% flagged`);
  console.log(`lowest threshold with precision >= ${LOBO_MIN_PRECISION} and real tools flagged <= ${100 * LOBO_MAX_REAL_FLAGGED}%: ${chosen ?? 'none'} (THRESHOLD is ${THRESHOLD})`);
}

const model = trainClassifier(rows, threshold, trainOptions);
model.trainedOn = {
  corpus: 'development half of ../shared/data/tool-descriptions.jsonl (sha256(id) first bit 0), malicious_server rows excluded',
  fresh: 'test/fixtures/scanner/tool-descriptions-fresh.jsonl',
  freshBatches: TRAIN_BATCHES,
  realServers: 'test/fixtures/scanner/real-server-tools.jsonl, development half of the packages (benign)',
  rows: rows.length,
  options: trainOptions,
};
const text = JSON.stringify(model, null, 0).replace(/,"/g, ',\n"') + '\n';
if (args.check) {
  const same = existsSync(modelFile) && readFileSync(modelFile, 'utf8') === text;
  console.log(same ? 'model.json is what training produces' : 'model.json differs from a fresh training run: run node scripts/train-tool-classifier.mjs');
  process.exit(same ? 0 : 1);
}
if (args['dry-run']) process.exit(0);
writeFileSync(modelFile, text);
console.log(`wrote ${modelFile}: ${Object.keys(model.weights).length} weights from ${rows.length} rows, threshold ${threshold}`);
