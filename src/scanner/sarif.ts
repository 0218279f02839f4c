/** SARIF 2.1.0 for code-scanning upload (GitHub, Azure DevOps); validated against the OASIS schema in tests. */
import type { Finding, ScanReport, Severity } from './types.js';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' };
/** GitHub reads `security-severity` (0–10) to rank alerts. */
const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '1.0' };

export function toSarif(report: ScanReport, opts: { informationUri?: string } = {}): Record<string, unknown> {
  const ruleIds = [...new Set([...report.rulesRun.map((r) => r.id), ...report.findings.map((f) => f.ruleId)])].sort();
  const info = new Map(report.rulesRun.map((r) => [r.id, r]));
  const rules = ruleIds.map((id) => {
    const r = info.get(id);
    const sev = r?.severity ?? report.findings.find((f) => f.ruleId === id)?.severity ?? 'medium';
    return {
      id,
      name: id,
      shortDescription: { text: r?.description.split('. ')[0]?.slice(0, 200) ?? id },
      fullDescription: { text: r?.description ?? id },
      help: { text: r?.fixHint ?? '' },
      defaultConfiguration: { level: LEVEL[sev] },
      properties: { 'security-severity': SECURITY_SEVERITY[sev], tags: ['security'] },
    };
  });
  const index = new Map(ruleIds.map((id, i) => [id, i]));
  const result = (f: Finding) => ({
    ruleId: f.ruleId,
    ruleIndex: index.get(f.ruleId)!,
    level: LEVEL[f.severity],
    message: { text: `${f.message}. Fix: ${f.fixHint}` },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: encodeURI(f.file), uriBaseId: '%SRCROOT%' },
          region: { startLine: f.line, startColumn: f.column, snippet: { text: f.snippet } },
        },
      },
    ],
    partialFingerprints: { 'wardenFingerprint/v1': f.fingerprint },
    properties: { severity: f.severity, confidence: f.confidence, category: f.category },
  });
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'warden', version: report.tool.version, informationUri: opts.informationUri ?? 'https://github.com/warden-mcp/warden', rules } },
        originalUriBaseIds: { '%SRCROOT%': { description: { text: `Root of the scanned target ${report.target}` } } },
        results: report.findings.map(result),
        properties: { score: report.score, rating: report.rating, capabilities: Object.fromEntries(Object.entries(report.capabilities).map(([k, v]) => [k, v.present])) },
      },
    ],
  };
}
