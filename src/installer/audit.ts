import { stat } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { describeDrift, hasDrift } from '../core/tool-pin.js';
import { discoverConfiguredServers, type ClientEnv } from './clients.js';
import { auditConfiguredServer, type AuditedServer, type AuditSeverity } from './audit-config.js';
import { checkFiles, checkTools, findInstalled, starterFor } from './run.js';
import { isWardenError } from '../core/errors.js';
import { DEFAULT_WARDEN_DIR } from './paths.js';


export interface AuditOptions {
  env: ClientEnv;
  /** Start each Warden-installed server in its sandbox to compare tool definitions with the pins. */
  probe?: boolean;
  allowUnsandboxed?: boolean;
  /** Static scan hook (the scanner), called with a folder; returns findings to attach. */
  scanFolder?: (dir: string) => Promise<Array<{ severity: AuditSeverity; message: string }>>;
  /** Warden folder of launchers that give no --dir. */
  defaultDir?: string;
}

export interface AuditReport {
  files: string[];
  servers: AuditedServer[];
  counts: Record<AuditSeverity, number>;
}

/** The `--dir` a `warden run` launcher was configured with, or the default Warden folder. */
function wardenDirOf(args: unknown, fallback = DEFAULT_WARDEN_DIR): string {
  const list = Array.isArray(args) ? args.map(String) : [];
  const i = list.indexOf('--dir');
  return i >= 0 && list[i + 1] ? resolve(list[i + 1]!) : fallback;
}

const SCRIPT_RUNTIMES = new Set(['node', 'python', 'python3', 'deno', 'bun', 'tsx']);

/** The folder of a locally run script (`node /abs/server.js`), which can be scanned statically. */
async function localScriptDir(entry: Record<string, unknown>): Promise<string | undefined> {
  const command = typeof entry.command === 'string' ? entry.command.split(/[\\/]/).pop()! : '';
  if (!SCRIPT_RUNTIMES.has(command) || !Array.isArray(entry.args)) return undefined;
  const script = entry.args.map(String).find((a) => !a.startsWith('-'));
  if (!script || !isAbsolute(script)) return undefined;
  const st = await stat(script).catch(() => undefined);
  return st?.isFile() ? dirname(script) : undefined;
}

export async function auditMachine(opts: AuditOptions): Promise<AuditReport> {
  const { servers, files } = await discoverConfiguredServers(opts.env);
  const out: AuditedServer[] = [];
  for (const s of servers) {
    const audited = auditConfiguredServer(s);
    if (audited.wardenModule) {
      try {
        const m = await findInstalled(wardenDirOf(s.entry.args, opts.defaultDir), audited.wardenModule);
        const fd = await checkFiles(m);
        if (hasDrift(fd)) {
          audited.findings.push({ id: 'drift', severity: 'critical', message: `installed files changed since install (${describeDrift(fd)})` });
        } else if (opts.probe !== false) {
          const { drift } = await checkTools(m, starterFor(m, { allowUnsandboxed: opts.allowUnsandboxed, timeoutMs: 60_000 }));
          if (hasDrift(drift)) {
            audited.findings.push({ id: 'drift', severity: 'critical', message: `tool definitions changed since pinned (${describeDrift(drift)}) — possible rug pull` });
          }
        }
        if (opts.scanFolder) {
          for (const f of await opts.scanFolder(m.dir)) audited.findings.push({ id: 'scan', severity: f.severity, message: f.message });
        }
      } catch (err) {
        if (!isWardenError(err)) throw err;
        audited.findings.push({ id: 'drift', severity: err.code === 'WARDEN_E_NOT_INSTALLED' ? 'high' : 'critical', message: `${err.code}: ${err.message}` });
      }
    } else if (opts.scanFolder) {
      const dir = await localScriptDir(s.entry);
      if (dir) for (const f of await opts.scanFolder(dir)) audited.findings.push({ id: 'scan', severity: f.severity, message: f.message });
    }
    out.push(audited);
  }
  const counts: Record<AuditSeverity, number> = { info: 0, low: 0, medium: 0, high: 0, critical: 0 };
  for (const s of out) for (const f of s.findings) counts[f.severity]++;
  return { files, servers: out, counts };
}
