/**
 * What the code can do, from the catalog's callee/module/member sets — computed outside the rules,
 * so disabling a rule never hides a capability.
 */
import type { Capabilities, CapabilityName, FileFacts } from './types.js';
import { compilePatterns } from './catalog.js';

const MAX_EVIDENCE = 5;

export function emptyCapabilities(): Capabilities {
  const e = () => ({ present: false, evidence: [] as string[] });
  return { spawnsProcesses: e(), network: e(), fsWrites: e(), envAccess: e(), installScripts: e(), nativeCode: e(), dynamicCode: e() };
}

export function addCapability(caps: Capabilities, name: CapabilityName, evidence: string): void {
  const c = caps[name];
  c.present = true;
  if (c.evidence.length < MAX_EVIDENCE && !c.evidence.includes(evidence)) c.evidence.push(evidence);
}

let sets: ReturnType<typeof compileSets> | undefined;
function compileSets() {
  return {
    spawn: compilePatterns(['$process-exec'], 'calls', 'capabilities'),
    net: compilePatterns(['$network-out', '$network-listen'], 'calls', 'capabilities'),
    write: compilePatterns(['$fs-write'], 'calls', 'capabilities'),
    dyn: compilePatterns(['$dynamic-code'], 'calls', 'capabilities'),
    native: compilePatterns(['$native-load'], 'calls', 'capabilities'),
    envCall: compilePatterns(['$env-read'], 'calls', 'capabilities'),
    envCallee: /^(process\.env|os\.environ)(\.|\[)/,
    modProcess: compilePatterns(['$process'], 'modules', 'capabilities'),
    modNet: compilePatterns(['$network'], 'modules', 'capabilities'),
    modNative: compilePatterns(['$native'], 'modules', 'capabilities'),
    openWrite: /^(open|io\.open|builtins\.open|codecs\.open|.*\.open)$/,
  };
}

/** Which capabilities a call (by resolved callee) shows; used for files and for tool handlers. */
export function callCapabilities(callee: string, openModesOf?: () => string[]): CapabilityName[] {
  sets ??= compileSets();
  const out: CapabilityName[] = [];
  if (sets.spawn.test(callee)) out.push('spawnsProcesses');
  if (sets.net.test(callee)) out.push('network');
  if (sets.write.test(callee) || (openModesOf && sets.openWrite.test(callee) && openModesOf().some((m) => /^[wax]/.test(m) || /\+/.test(m)))) out.push('fsWrites');
  if (sets.dyn.test(callee)) out.push('dynamicCode');
  if (sets.native.test(callee)) out.push('nativeCode');
  if (sets.envCall.test(callee) || sets.envCallee.test(callee)) out.push('envAccess');
  return out;
}

/** Python `open(path, 'w')`: the mode is the second positional or `mode=`. */
export function openModes(call: FileFacts['calls'][number]): string[] {
  const m = call.args[1]?.kind === 'string' ? call.args[1].strings : call.kwargs.mode?.strings ?? [];
  return m.filter((x) => x.length <= 4);
}

export function fileCapabilities(caps: Capabilities, path: string, facts: FileFacts): void {
  sets ??= compileSets();
  for (const call of facts.calls) {
    for (const name of callCapabilities(call.callee, facts.language === 'python' ? () => openModes(call) : undefined)) addCapability(caps, name, `${path}:${call.line} ${call.callee}`);
  }
  for (const imp of facts.imports) {
    if (sets.modProcess.test(imp.module)) addCapability(caps, 'spawnsProcesses', `${path}:${imp.line} import ${imp.module}`);
    if (sets.modNet.test(imp.module)) addCapability(caps, 'network', `${path}:${imp.line} import ${imp.module}`);
    if (sets.modNative.test(imp.module) || /\.node$/.test(imp.module)) addCapability(caps, 'nativeCode', `${path}:${imp.line} import ${imp.module}`);
  }
  // `process.env` / `os.environ` uses are marked during the walk (no summaries needed).
  for (const m of facts.markers) if (m.type === 'env') addCapability(caps, 'envAccess', `${path}:${m.line} ${facts.language === 'js' ? 'process.env' : 'os.environ'}`);
}

/** Files that are native code by their name alone. */
export function nativeFile(path: string): boolean {
  return /\.(node|so|dylib|dll|pyd)$/i.test(path) || /(^|\/)binding\.gyp$/.test(path);
}
