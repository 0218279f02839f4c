/** Input limits of the poisoning analysis: text beyond them is not read (documented in docs/tool-poisoning.md). */
export const LIMITS = {
  /** Characters read from one text field (description, property description, ...). */
  fieldChars: 64 * 1024,
  /** Characters read from one tool in total. */
  toolChars: 256 * 1024,
  /** Schema nesting depth walked. */
  schemaDepth: 12,
  /** Schema nodes visited per tool. */
  schemaNodes: 2_000,
  /** Tools checked in one call of checkToolDefinitions. */
  tools: 5_000,
  /** Length of an evidence excerpt. */
  evidenceChars: 200,
  /** Rule files loaded from one folder, and size of one rule file. */
  ruleFiles: 500,
  ruleFileBytes: 256 * 1024,
  /** A learned model's JSON file. */
  modelFileBytes: 4 * 1024 * 1024,
} as const;
