#!/usr/bin/env node
// Trains the learned tool-poisoning model (src/scanner/poisoning/classifier.ts) and writes it next
// to its rule: src/scanner/poisoning/rules/mcp-tool-learned-poisoning/model.json.
//
//   npm run build && node scripts/train-tool-classifier.mjs [--cv] [--threshold 0.8] [--check]
//
// Training rows: the development half of ../shared/data/tool-descriptions.jsonl (the same
// sha256(id) split as bench/scanner-quality; `malicious_server` rows left out) and the fresh
// hand-written batches listed in TRAIN_BATCHES. Never trained on: the corpus's held-out half and
// the newest blind batch, which measure the model. --cv prints 5-fold cross-validation on the
// training rows only (how the threshold was chosen); --check exits 1 when the committed model
// differs from a fresh training run (used by the test suite).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { toolFeatures, trainClassifier, scoreFeatures, DEFAULT_TRAIN_OPTIONS } = await import(join(root, 'dist/scanner/poisoning/classifier.js'));
const { corpusHalf, toolFromRow } = await import(join(root, 'dist/scanner/poisoning/labelled-rows.js'));

/** Fresh batches the model learns from; the next blind batch is measured before it is added here. */
export const TRAIN_BATCHES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
export const THRESHOLD = 0.9;

const { values: args } = parseArgs({ options: { cv: { type: 'boolean' }, check: { type: 'boolean' }, threshold: { type: 'string' } } });
const corpusFile = process.env.WARDEN_DATA ? join(process.env.WARDEN_DATA, 'tool-descriptions.jsonl') : join(root, '..', 'shared', 'data', 'tool-descriptions.jsonl');
const freshFile = join(root, 'test', 'fixtures', 'scanner', 'tool-descriptions-fresh.jsonl');
const modelFile = join(root, 'src', 'scanner', 'poisoning', 'rules', 'mcp-tool-learned-poisoning', 'model.json');
if (!existsSync(corpusFile)) {
  console.error(`${corpusFile} is missing: the model is trained on it (shared/ beside the checkout).`);
  process.exit(2);
}

const readRows = (file) => readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
const rows = [
  ...readRows(corpusFile).filter((r) => corpusHalf(r.id) === 'dev' && r.label !== 'malicious_server'),
  ...readRows(freshFile).filter((r) => TRAIN_BATCHES.includes(r.batch ?? 1)),
].map((r) => ({ features: toolFeatures(toolFromRow(r)), malicious: r.label === 'malicious' }));

const threshold = args.threshold ? Number(args.threshold) : THRESHOLD;

if (args.cv) {
  const folds = 5;
  const scored = [];
  for (let k = 0; k < folds; k++) {
    const train = rows.filter((_, i) => i % folds !== k);
    const test = rows.filter((_, i) => i % folds === k);
    const m = trainClassifier(train, threshold, DEFAULT_TRAIN_OPTIONS);
    for (const r of test) scored.push({ p: scoreFeatures(m, r.features).probability, malicious: r.malicious });
  }
  console.log(`5-fold cross-validation on ${rows.length} training rows (${rows.filter((r) => r.malicious).length} malicious):`);
  for (const t of [0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95]) {
    const tp = scored.filter((s) => s.malicious && s.p >= t).length;
    const fp = scored.filter((s) => !s.malicious && s.p >= t).length;
    const pos = scored.filter((s) => s.malicious).length;
    console.log(`  threshold ${t.toFixed(2)}: precision ${(tp / (tp + fp)).toFixed(3)}, recall ${(tp / pos).toFixed(3)} (${fp} benign flagged)`);
  }
}

const model = trainClassifier(rows, threshold, DEFAULT_TRAIN_OPTIONS);
model.trainedOn = {
  corpus: 'development half of ../shared/data/tool-descriptions.jsonl (sha256(id) first bit 0), malicious_server rows excluded',
  fresh: 'test/fixtures/scanner/tool-descriptions-fresh.jsonl',
  freshBatches: TRAIN_BATCHES,
  rows: rows.length,
  options: DEFAULT_TRAIN_OPTIONS,
};
const text = JSON.stringify(model, null, 0).replace(/,"/g, ',\n"') + '\n';
if (args.check) {
  const same = existsSync(modelFile) && readFileSync(modelFile, 'utf8') === text;
  console.log(same ? 'model.json is what training produces' : 'model.json differs from a fresh training run: run node scripts/train-tool-classifier.mjs');
  process.exit(same ? 0 : 1);
}
writeFileSync(modelFile, text);
console.log(`wrote ${modelFile}: ${Object.keys(model.weights).length} weights from ${rows.length} rows, threshold ${threshold}`);
