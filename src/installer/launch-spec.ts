import { WardenError } from '../core/errors.js';
import type { ServerManifest } from '../core/manifest.js';

/** How an installed module starts, derived from its `warden` package entry in server.json. */
export interface ModuleLaunch {
  command: string;
  args: string[];
  /** Environment variables the manifest declares; only these are passed into the sandbox. */
  envNames: string[];
  requiredEnv: string[];
}

const RUNTIMES: Record<string, string> = { node: 'node', python: 'python3', python3: 'python3', deno: 'deno', bun: 'bun' };
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
const MAX_ARGS = 64;

interface ArgInput {
  type?: string;
  name?: string;
  value?: string;
  default?: string;
}

function renderArgs(list: unknown, where: string): string[] {
  if (list === undefined) return [];
  if (!Array.isArray(list) || list.length > MAX_ARGS) throw new WardenError('WARDEN_E_MANIFEST_INVALID', `${where} must be a list of at most ${MAX_ARGS} arguments.`, { where });
  return list.flatMap((raw, i) => {
    const a = raw as ArgInput;
    const value = a.value ?? a.default;
    if (a.type === 'named') {
      if (!a.name) throw new WardenError('WARDEN_E_MANIFEST_INVALID', `${where}[${i}] is a named argument without a name.`, { where });
      return value === undefined ? [a.name] : [a.name, value];
    }
    if (value === undefined) {
      throw new WardenError('WARDEN_E_MANIFEST_INVALID', `${where}[${i}] has no value; Warden launches installed modules with fixed arguments only.`, { where });
    }
    return [value];
  });
}

export function moduleLaunch(manifest: ServerManifest): ModuleLaunch {
  const pkg = (manifest.packages ?? []).find((p) => p.registryType === 'warden');
  if (!pkg) {
    throw new WardenError('WARDEN_E_MANIFEST_INVALID', `server.json of ${manifest.name} has no package with registryType "warden", so Warden cannot tell how to start it.`, { where: 'server.json#/packages' });
  }
  const transport = (pkg.transport as { type?: string } | undefined)?.type;
  if (transport !== 'stdio') {
    throw new WardenError('WARDEN_E_MANIFEST_INVALID', `The warden package of ${manifest.name} uses transport "${transport}"; installed modules run over stdio.`, { where: 'server.json#/packages/transport' });
  }
  const hint = String(pkg.runtimeHint ?? '');
  const command = RUNTIMES[hint];
  if (!command) throw new WardenError('WARDEN_E_MANIFEST_INVALID', `runtimeHint "${hint}" is not one Warden can launch (${Object.keys(RUNTIMES).join(', ')}).`, { where: 'server.json#/packages/runtimeHint' });
  const args = [...renderArgs(pkg.runtimeArguments, 'runtimeArguments'), ...renderArgs(pkg.packageArguments, 'packageArguments')];
  for (const a of args) {
    if (a.length > 4096 || /[\u0000]/.test(a)) throw new WardenError('WARDEN_E_MANIFEST_INVALID', 'An argument is too long or holds a NUL byte.', { where: 'server.json#/packages' });
  }
  const vars = Array.isArray(pkg.environmentVariables) ? (pkg.environmentVariables as Array<{ name?: string; isRequired?: boolean }>) : [];
  const envNames = vars.map((v) => String(v.name ?? '')).filter((n) => ENV_NAME.test(n));
  return { command, args, envNames, requiredEnv: vars.filter((v) => v.isRequired && ENV_NAME.test(String(v.name))).map((v) => String(v.name)) };
}
