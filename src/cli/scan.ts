import type { Command } from 'commander';
import { writeFile } from 'node:fs/promises';
import { WardenError, ioError } from '../core/errors.js';
import { SEVERITIES, severityRank, type ScanReport, type Severity } from '../scanner/types.js';

// The scanner (parsers, rules, secretlint) loads only when `warden scan` runs.
const scanner = () => import('../scanner/index.js');
import { action, note } from './output.js';

interface ScanCliOptions {
  format: string;
  failOn: string;
  baseline?: string;
  writeBaseline?: string;
  rules?: string[];
  disable?: string;
  deps?: boolean;
  listRules?: boolean;
  progress?: boolean;
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function exitFor(report: ScanReport, failOn: Severity | 'none'): number {
  if (failOn === 'none') return 0;
  return report.findings.some((f) => severityRank(f.severity) >= severityRank(failOn)) ? 1 : 0;
}

export function registerScanCommands(program: Command): void {
  program
    .command('scan')
    .description('Statically scan an MCP server package for backdoors, logic bombs, secrets and poisoned tool descriptions. Nothing is executed.')
    .argument('[target]', 'a folder, a .tgz, or npm:<name>@<version>')
    .option('--format <format>', 'text | json | sarif', 'text')
    .option('--fail-on <severity>', 'exit 1 when a finding is at or above: info | low | medium | high | critical | none', 'high')
    .option('--baseline <file>', 'ignore findings whose fingerprints are in this file (accepted risks)')
    .option('--write-baseline <file>', 'write the fingerprints of all current findings to this file')
    .option('--rules <dir>', 'also load rule YAML files from this folder (repeatable; same id replaces a built-in rule)', collect)
    .option('--disable <ids>', 'comma-separated rule ids to turn off')
    .option('--deps', 'npm: targets: install the dependency tree (scripts disabled) and scan it too; folders: include node_modules')
    .option('--list-rules', 'print the rules (id, severity, description) and exit')
    .option('--no-progress', 'do not print progress on stderr')
    .addHelpText(
      'after',
      `
What it looks for: process execution and shell injection, eval and decoded/downloaded code,
exfiltration (env vars or credential files flowing to the network, hidden mail recipients),
sensitive paths, logic bombs, obfuscation, anti-debugging, install scripts, Trojan-Source and
invisible characters, hard-coded secrets, poisoned MCP tool descriptions and tools whose code
contradicts their description. It also prints a capability summary and a risk score (0-100,
rating A-F). Rules: docs/scanner.md.

Accepting a finding: add "// warden-ignore <rule-id>: <reason>" (or "# ..." in Python) on its line
or the line above — a reason is required — or keep a baseline file (--write-baseline, then
--baseline). Exit: 0 nothing at/above --fail-on; 1 findings at/above it; 2 bad input.

Examples:
  $ warden scan ./my-server
  $ warden scan my-server-1.0.0.tgz --format sarif > warden.sarif
  $ warden scan npm:@modelcontextprotocol/server-memory@2026.8.31 --deps --fail-on critical
  $ warden scan . --write-baseline .warden-baseline.json && warden scan . --baseline .warden-baseline.json
  $ warden scan . --rules ./my-rules --disable process-spawn,long-encoded-string`,
    )
    .action(
      action(async (target: string | undefined, opts: ScanCliOptions, cmd: Command) => {
        const json = Boolean(cmd.optsWithGlobals().json);
        const disable = opts.disable ? opts.disable.split(',').map((s) => s.trim()).filter(Boolean) : [];
        if (opts.listRules) {
          const { loadRules } = await scanner();
          const rules = loadRules({ ...(opts.rules ? { extraDirs: opts.rules } : {}) });
          const rows = rules.map((r) => ({ id: r.id, severity: r.severity, confidence: r.confidence, category: r.category, description: r.description }));
          if (json) process.stdout.write(JSON.stringify({ ok: true, rules: rows }, null, 2) + '\n');
          else process.stdout.write(rows.map((r) => `${r.id.padEnd(30)} ${r.severity.padEnd(8)} ${r.description}`).join('\n') + '\n');
          return 0;
        }
        if (!target) throw new WardenError('WARDEN_E_USAGE', 'Give a target: a folder, a .tgz or npm:<name>@<version>.', { where: 'target' });
        const format = json ? 'json' : opts.format;
        if (!['text', 'json', 'sarif'].includes(format)) throw new WardenError('WARDEN_E_USAGE', `--format must be text, json or sarif (got "${opts.format}").`, { where: '--format' });
        const failOn = opts.failOn as Severity | 'none';
        if (failOn !== 'none' && !SEVERITIES.includes(failOn)) throw new WardenError('WARDEN_E_USAGE', `--fail-on must be one of ${SEVERITIES.join(', ')} or none.`, { where: '--fail-on' });
        const showProgress = opts.progress !== false && process.stderr.isTTY !== false;
        let lastNote = Date.now(); // quiet for the first second: short scans print nothing
        const { scanIsolated, baselineOf, toSarif, formatText } = await scanner();
        // In a child process: a package built to crash parsers ends the scan with
        // WARDEN_E_SCAN_CRASHED, not a segmentation fault of the CLI.
        const report = await scanIsolated(target, {
          ...(opts.rules ? { rulesDirs: opts.rules } : {}),
          disable,
          ...(opts.baseline ? { baseline: opts.baseline } : {}),
          ...(opts.deps ? { deps: true } : {}),
          onProgress: (p) => {
            const now = Date.now();
            if (!showProgress || now - lastNote < 1000) return;
            lastNote = now;
            note(`scanning… ${p.filesDone}/${p.filesTotal} files, ${(p.bytesDone / 1024 / 1024).toFixed(1)} MB`);
          },
        });
        if (opts.writeBaseline) {
          try {
            await writeFile(opts.writeBaseline, JSON.stringify(baselineOf(report.findings), null, 2) + '\n');
          } catch (err) {
            throw ioError('write the baseline', opts.writeBaseline, err);
          }
          note(`wrote ${report.findings.length} fingerprints to ${opts.writeBaseline}`);
        }
        const code = exitFor(report, failOn);
        if (format === 'json') process.stdout.write(JSON.stringify({ ok: true, passed: code === 0, failOn, ...report }, null, 2) + '\n');
        else if (format === 'sarif') process.stdout.write(JSON.stringify(toSarif(report), null, 2) + '\n');
        else process.stdout.write(formatText(report));
        return code;
      }),
    );
}
