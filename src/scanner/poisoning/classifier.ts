import { toolTexts } from './tool-text.js';
import type { ToolDefinition, ToolText } from './types.js';

/**
 * A learned second opinion on tool definitions: L2-regularised logistic regression over word and
 * word-pair presence, each feature scaled by its naive-Bayes log-count ratio (NBSVM, Wang & Manning
 * 2012), trained by scripts/train-tool-classifier.mjs on labelled descriptions (the
 * development half of the shared corpus and the hand-written fresh sets; never the corpus's
 * held-out half or the newest blind batch). The rules say *why* something is an attack; the model
 * catches wordings no rule anticipated, and names the words that weighed most. Pure: no I/O.
 */
export interface ToolClassifierModel {
  version: 1;
  bias: number;
  /** Probability at or above which a tool is flagged. */
  threshold: number;
  weights: Record<string, number>;
  /** What it was trained on, for people (not read by the code). */
  trainedOn?: Record<string, unknown>;
}

export interface ClassifierScore {
  probability: number;
  /** Features that pushed the score up the most, strongest first. */
  top: Array<{ feature: string; weight: number }>;
}

const WORD = /[a-z0-9]+(?:'[a-z]+)?|[~@$<>{}|`]/g;
/** At most this many words per tool are read (bounded work on huge descriptions). */
const MAX_WORDS = 4000;

/** Lower-case words, plus a few characters that carry meaning in attacks (`~`, `@`, `<`, `` ` ``). */
export function classifierWords(text: string): string[] {
  return (text.toLowerCase().replace(/[’‘]/g, "'").match(WORD) ?? []).slice(0, MAX_WORDS);
}

/**
 * Function words carry style, not meaning: with them the model learned that long descriptions
 * (full of "to" and "and") are malicious. They are dropped before features are built.
 */
const STOPWORDS = new Set(
  ('a an the and or but if then else of to in on at by for with from into onto over under as is are was were be been being it its ' +
    'this that these those there here which who whom what when where how than so such can could may might will would shall should ' +
    'do does did done has have had having not no any all each every some more most other own same very just also only both either ' +
    'neither one two about above after again against before below between during further once out off up down through until while ' +
    'we you your yours our ours they them their i me my he she his her us tool tools').split(' '),
);

/**
 * A light suffix stripper so that "uploads", "uploaded" and "uploading" are one feature: the
 * training set is small, and attacks are worded in every tense.
 */
const SUFFIXES = [['ations', 3], ['ation', 3], ['ings', 3], ['ing', 3], ['ies', 3], ['ied', 3], ['ers', 3], ['er', 4], ['ed', 3], ['es', 3], ['ly', 4], ['s', 3]] as const;

export function stem(word: string): string {
  if (word.length <= 4 || /[^a-z]/.test(word)) return word;
  for (const [suffix, keep] of SUFFIXES) {
    if (word.endsWith(suffix) && word.length - suffix.length >= keep && !(suffix === 's' && word.endsWith('ss'))) {
      const base = word.slice(0, -suffix.length);
      return suffix === 'ies' || suffix === 'ied' ? `${base}y` : base;
    }
  }
  return word;
}

/** The features of a text: each word (`w:`) and each pair of neighbouring words (`b:`), once. */
export function textFeatures(text: string): Set<string> {
  const words = classifierWords(text).filter((w) => !STOPWORDS.has(w)).map(stem);
  const out = new Set<string>();
  for (let i = 0; i < words.length; i++) {
    out.add(`w:${words[i]}`);
    if (i + 1 < words.length) out.add(`b:${words[i]} ${words[i + 1]}`);
  }
  return out;
}

/** Features of everything the model reads from a tool (name as words, description, schema text). */
export function toolFeatures(tool: ToolDefinition): Set<string> {
  return textsFeatures(toolTexts(tool));
}

/** The same, from texts already extracted with toolTexts (the check extracts them once per tool). */
export function textsFeatures(texts: readonly ToolText[]): Set<string> {
  const out = textFeatures(texts.map((t) => t.norm).join(' \n '));
  out.add(lengthFeature(out.size));
  return out;
}

/**
 * A feature naming the tool's length bucket, so that the model learns one intercept per length:
 * a one-line capability statement carries a handful of features and a long description hundreds,
 * and one bias for both left the short ones near the prior (leave-one-batch-out, session 6).
 */
function lengthFeature(featureCount: number): string {
  const bucket = featureCount <= 12 ? 'terse' : featureCount <= 40 ? 'short' : featureCount <= 120 ? 'medium' : 'long';
  return `len:${bucket}`;
}

const LETTER = /\p{L}/gu;
const LATIN_LETTER = /\p{Script=Latin}/gu;

/**
 * Whether the model can judge a tool at all: at least half of the letters in its texts are Latin.
 * It learned from English; in text of another script it would see only a stray word or two (a
 * tool name) and answer from its bias. Such tools are left to the rules (invisible characters,
 * layout, schema-structure checks), and the gap is documented.
 */
export function readableByModel(texts: readonly ToolText[]): boolean {
  let latin = 0;
  let letters = 0;
  for (const t of texts) {
    const text = t.norm.slice(0, 20_000);
    letters += text.match(LETTER)?.length ?? 0;
    latin += text.match(LATIN_LETTER)?.length ?? 0;
  }
  return letters === 0 || latin * 2 >= letters;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** The model's probability that a tool with these features is malicious. */
export function probability(model: ToolClassifierModel, features: Set<string>): number {
  let z = model.bias;
  for (const f of features) z += model.weights[f] ?? 0;
  return sigmoid(z);
}

/** The features that pushed the score up the most, strongest first (for explaining a finding). */
export function topFeatures(model: ToolClassifierModel, features: Set<string>, n = 5): Array<{ feature: string; weight: number }> {
  const contributions: Array<{ feature: string; weight: number }> = [];
  for (const f of features) {
    const w = model.weights[f];
    // The length bucket is not a word a reviewer can look for.
    if (w !== undefined && w > 0 && !f.startsWith('len:')) contributions.push({ feature: f, weight: w });
  }
  contributions.sort((a, b) => b.weight - a.weight || (a.feature < b.feature ? -1 : 1));
  return contributions.slice(0, n);
}

export function scoreFeatures(model: ToolClassifierModel, features: Set<string>): ClassifierScore {
  return { probability: probability(model, features), top: topFeatures(model, features) };
}

export interface TrainingRow {
  features: Set<string>;
  malicious: boolean;
  /** How much the row counts in the loss (default 1). */
  weight?: number;
}

export interface TrainOptions {
  /** Features seen in fewer rows than this are dropped (they would only memorise rows). */
  minRows: number;
  /** L2 penalty per weight. */
  l2: number;
  iterations: number;
  learningRate: number;
  /**
   * Naive-Bayes scaling: each feature's input is `nbFloor + |log-count ratio|` (smoothed by
   * `nbAlpha`) instead of 1. Words that separate the classes in the counts are penalised less by
   * L2 than words seen on both sides, which generalised better to unseen writers (leave-one-batch-
   * out, scripts/train-tool-classifier.mjs --lobo). `nbAlpha: 0` turns it off.
   */
  nbAlpha: number;
  nbFloor: number;
}

export const DEFAULT_TRAIN_OPTIONS: TrainOptions = { minRows: 2, l2: 0.002, iterations: 1500, learningRate: 1, nbAlpha: 1, nbFloor: 0.5 };

/** Per-feature input scale: `floor + |log((p_j / |p|) / (q_j / |q|))|` over smoothed counts in malicious (p) and benign (q) rows. */
export function naiveBayesScales(X: Int32Array[], y: number[], size: number, alpha: number, floor: number): Float64Array {
  const scale = new Float64Array(size).fill(1);
  if (alpha <= 0) return scale;
  const pos = new Float64Array(size);
  const neg = new Float64Array(size);
  X.forEach((xi, i) => {
    for (const j of xi) (y[i] ? pos : neg)[j]!++;
  });
  let posTotal = 0;
  let negTotal = 0;
  for (let j = 0; j < size; j++) {
    posTotal += pos[j]! + alpha;
    negTotal += neg[j]! + alpha;
  }
  for (let j = 0; j < size; j++) scale[j] = floor + Math.abs(Math.log((pos[j]! + alpha) / posTotal / ((neg[j]! + alpha) / negTotal)));
  return scale;
}

/**
 * Full-batch gradient descent on the mean log-loss plus L2: deterministic for the same rows and
 * options (features are visited in sorted order), so a test can retrain and compare.
 */
export function trainClassifier(rows: TrainingRow[], threshold: number, opts: TrainOptions = DEFAULT_TRAIN_OPTIONS): ToolClassifierModel {
  const df = new Map<string, number>();
  for (const r of rows) for (const f of r.features) df.set(f, (df.get(f) ?? 0) + 1);
  const vocab = [...df].filter(([, n]) => n >= opts.minRows).map(([f]) => f).sort();
  const index = new Map(vocab.map((f, i) => [f, i]));
  const X = rows.map((r) => Int32Array.from([...r.features].map((f) => index.get(f) ?? -1).filter((i) => i >= 0).sort((a, b) => a - b)));
  const y = rows.map((r) => (r.malicious ? 1 : 0));
  const rowWeight = rows.map((r) => r.weight ?? 1);
  const totalWeight = rowWeight.reduce((a, b) => a + b, 0);
  const scale = naiveBayesScales(X, y, vocab.length, opts.nbAlpha, opts.nbFloor);
  const w = new Float64Array(vocab.length);
  let b = 0;
  const n = rows.length;
  const grad = new Float64Array(vocab.length);
  for (let it = 0; it < opts.iterations; it++) {
    grad.fill(0);
    let gb = 0;
    for (let i = 0; i < n; i++) {
      let z = b;
      const xi = X[i]!;
      for (let k = 0; k < xi.length; k++) z += w[xi[k]!]! * scale[xi[k]!]!;
      const err = (sigmoid(z) - y[i]!) * rowWeight[i]!;
      gb += err;
      for (let k = 0; k < xi.length; k++) grad[xi[k]!]! += err * scale[xi[k]!]!;
    }
    for (let j = 0; j < w.length; j++) w[j] = w[j]! - opts.learningRate * (grad[j]! / totalWeight + opts.l2 * w[j]!);
    b -= opts.learningRate * (gb / totalWeight);
  }
  // The scale is folded into the weights, so scoring stays a sum of weights over present features.
  const weights: Record<string, number> = {};
  vocab.forEach((f, j) => {
    const v = Math.round(w[j]! * scale[j]! * 1e4) / 1e4;
    if (Math.abs(v) >= 0.005) weights[f] = v;
  });
  return { version: 1, bias: Math.round(b * 1e4) / 1e4, threshold, weights };
}
