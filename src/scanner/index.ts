/** Static scanner: public API for the CLI, the market pipeline and library users. */
export { scan, type ScanOptions, type ScanProgress, type InMemoryTarget } from './scan.js';
export { scanIsolated, type IsolatedScanOptions } from './isolated.js';
export { loadRules, parseRule, BUILTIN_RULES_DIR, type Rule } from './rules.js';
export { baselineOf, readBaseline, type BaselineFile } from './suppress.js';
export { riskScore } from './score.js';
export { toSarif } from './sarif.js';
export { formatText } from './text-report.js';
export type { Finding, ScanReport, Severity, Confidence, Capabilities, CapabilityName, ExtractedTool, SuppressedFinding } from './types.js';
export { SEVERITIES, severityRank } from './types.js';
