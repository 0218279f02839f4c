/** Human text report: score and capabilities first, then findings grouped by severity with code excerpts. */
import type { ScanReport, Severity } from './types.js';
import { SEVERITIES } from './types.js';

const CAP_LABEL: Record<string, string> = {
  spawnsProcesses: 'spawns processes',
  network: 'network',
  fsWrites: 'filesystem writes',
  envAccess: 'environment access',
  installScripts: 'install scripts',
  nativeCode: 'native code',
  dynamicCode: 'dynamic code',
};

export function formatText(report: ScanReport, opts: { maxPerSeverity?: number } = {}): string {
  const max = opts.maxPerSeverity ?? 50;
  const out: string[] = [];
  out.push(`warden scan ${report.target}`);
  out.push(`risk ${report.score}/100  rating ${report.rating}  ·  ${report.files.scanned} files (${(report.files.bytes / 1024 / 1024).toFixed(1)} MB), ${report.files.skipped} skipped`);
  const counts = SEVERITIES.slice().reverse().map((s) => `${report.summary[s]} ${s}`).join(', ');
  out.push(`findings: ${counts}${report.suppressed.length ? `; ${report.suppressed.length} suppressed inline` : ''}${report.baselined ? `; ${report.baselined} in baseline` : ''}`);
  out.push('');
  out.push('capabilities:');
  for (const [k, v] of Object.entries(report.capabilities)) {
    out.push(`  ${v.present ? '●' : '○'} ${CAP_LABEL[k] ?? k}${v.present && v.evidence[0] ? `  (${v.evidence.slice(0, 2).join('; ')})` : ''}`);
  }
  if (report.tools.length > 0) {
    out.push('');
    out.push(`MCP tools (${report.tools.length}):`);
    for (const t of report.tools.slice(0, 40)) out.push(`  ${t.name}  ${t.file}:${t.line}${t.handlerCapabilities.length ? `  [${t.handlerCapabilities.map((c) => CAP_LABEL[c]).join(', ')}]` : ''}`);
  }
  for (const sev of SEVERITIES.slice().reverse() as Severity[]) {
    const list = report.findings.filter((f) => f.severity === sev);
    if (list.length === 0) continue;
    out.push('');
    out.push(`── ${sev.toUpperCase()} (${list.length}) ──`);
    for (const f of list.slice(0, max)) {
      out.push(`${f.file}:${f.line}:${f.column}  ${f.ruleId}  [${f.confidence} confidence]`);
      out.push(`  ${f.message}`);
      if (f.snippet) out.push(`  │ ${f.snippet}`);
      out.push(`  fix: ${f.fixHint}`);
    }
    if (list.length > max) out.push(`… ${list.length - max} more ${sev} findings (use --format json for all)`);
  }
  if (report.files.parseErrors.length > 0) out.push('', `${report.files.parseErrors.length} files could not be parsed (scanned as text only).`);
  return out.join('\n') + '\n';
}
