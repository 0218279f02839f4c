import { lstat, mkdir, readFile, rename, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import semver from 'semver';
import { WardenError } from '../core/errors.js';
import { digestBytes } from '../core/digest.js';
import { parsePublicKey, type PublicKeyInfo } from '../core/keys.js';
import { formatModuleId, formatRef, sameRef, type ModuleRef } from '../core/ref.js';
import { manifestRef } from '../core/manifest.js';
import { readModuleManifest } from '../core/pack.js';
import { pinTools } from '../core/tool-pin.js';
import { runSandboxed, throwIfInterrupted, type SandboxProfileName } from '../sandbox/index.js';
import { extractArtifact } from './extract.js';
import { MarketClient } from './market-client.js';
import { verifyReleaseBundle } from './verify-bundle.js';
import { moduleLaunch } from './launch-spec.js';
import { sandboxStarter } from './sandbox-starter.js';
import { hashTree } from './installed-files.js';
import { readLock, writeLock, type LockEntry } from './lock.js';

export interface InstallOptions {
  ref: ModuleRef;
  market: string;
  dir: string;
  /** The market key given by the operator; otherwise the key pinned on first use. */
  marketKey?: PublicKeyInfo;
  allowDowngrade?: boolean;
  /** Run the module's own install scripts (inside the sandbox only). Off by default. */
  allowScripts?: boolean;
  /** Network profile the server runs with (`warden run` uses the same). */
  runProfile?: SandboxProfileName;
  /** Degraded mode where bubblewrap is missing: env cleared, scripts refused, no confinement. */
  allowUnsandboxed?: boolean;
  /**
   * Network for the dependency install: `none` (the default; dependencies must be vendored in the
   * artifact or already in Warden's cache) or `registry` (the npm registry through the allow-list
   * proxy, nothing else).
   */
  depsNetwork?: 'registry' | 'none';
  progress?: (message: string) => void;
  /** Aborted on Ctrl-C/SIGTERM: running sandboxes are killed and the install stops with nothing installed. */
  signal?: AbortSignal;
}

export interface InstallResult {
  ref: string;
  path: string;
  entry: LockEntry;
  marketKeyPinned: 'operator' | 'pinned' | 'first-use';
}

const INSTALL_SCRIPT_NAMES = ['preinstall', 'install', 'postinstall', 'prepare'];

interface PackageJsonFacts {
  hasDeps: boolean;
  installScripts: string[];
  hasLockfile: boolean;
}

async function packageJsonFacts(dir: string): Promise<PackageJsonFacts | undefined> {
  let text: string;
  try {
    text = await readFile(join(dir, 'package.json'), 'utf8');
  } catch {
    return undefined;
  }
  let pkg: { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string>; scripts?: Record<string, string> };
  try {
    pkg = JSON.parse(text);
  } catch (cause) {
    throw new WardenError('WARDEN_E_MANIFEST_INVALID', 'The module\'s package.json is not valid JSON.', { where: 'package.json', cause });
  }
  const hasLockfile = await lstat(join(dir, 'package-lock.json')).then(() => true, () => false);
  return {
    hasDeps: Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies }).length > 0,
    installScripts: INSTALL_SCRIPT_NAMES.filter((s) => typeof pkg.scripts?.[s] === 'string'),
    hasLockfile,
  };
}

async function npmRegistry(): Promise<{ host: string; port: number }> {
  const url = new URL(process.env.npm_config_registry ?? 'https://registry.npmjs.org/');
  return { host: url.hostname, port: Number(url.port || (url.protocol === 'http:' ? 80 : 443)) };
}

/**
 * Installs one release: fetch → verify (before extracting a byte) → extract safely into a staging
 * folder → install dependencies in the sandbox → start the server once in the sandbox and pin its
 * tools → hash the installed files → move into place → write warden.lock. Any failure removes the
 * staging folder and leaves the lock as it was.
 */
export async function installModule(opts: InstallOptions): Promise<InstallResult> {
  const say = opts.progress ?? (() => undefined);
  // The MCP SDK client (for the tool probe) is loaded lazily, while the sandboxed npm runs: it is
  // not needed before then.
  let probeModule: Promise<typeof import('./tool-probe.js')> | undefined;
  const loadProbe = () => {
    if (!probeModule) {
      probeModule = import('./tool-probe.js');
      probeModule.catch(() => undefined); // awaited where it is used
    }
    return probeModule;
  };
  const id = formatModuleId(opts.ref);
  const refText = formatRef(opts.ref);
  const lock = await readLock(opts.dir);
  const market = new MarketClient(opts.market, {}, opts.signal);
  const origin = market.base.origin;

  say(`fetching ${refText} from ${origin}`);
  const fetched = await market.fetchRelease(opts.ref);
  const served = parsePublicKey(fetched.marketKey.publicKeyPem, 'market key');
  let trusted: PublicKeyInfo;
  let pinnedHow: InstallResult['marketKeyPinned'];
  const pinned = lock.markets[origin];
  if (opts.marketKey) {
    trusted = opts.marketKey;
    pinnedHow = 'operator';
  } else if (pinned) {
    trusted = parsePublicKey(pinned.pem, 'pinned market key');
    pinnedHow = 'pinned';
    if (served.keyid !== pinned.keyid) {
      throw new WardenError('WARDEN_E_MARKET_KEY_CHANGED', `${origin} now presents key ${served.keyid.slice(0, 16)}…, but ${pinned.keyid.slice(0, 16)}… was pinned on ${pinned.pinnedAt}.`, { where: origin });
    }
  } else {
    trusted = served;
    pinnedHow = 'first-use';
  }

  const installed = lock.modules[id]?.version;
  const floor = [lock.highestSeen[id], installed].filter((v): v is string => Boolean(v)).sort(semver.rcompare)[0];
  say('verifying market countersignature, publisher signature and digests');
  const digests = digestBytes(fetched.artifact);
  const verified = verifyReleaseBundle(fetched.bundle, digests, { marketKeys: [trusted], highestSeen: floor, allowDowngrade: opts.allowDowngrade });

  throwIfInterrupted(opts.signal);
  const stagingRoot = join(opts.dir, '.staging');
  await mkdir(stagingRoot, { recursive: true });
  const staging = join(stagingRoot, `${opts.ref.org}-${opts.ref.name}-${randomBytes(6).toString('hex')}`);
  const finalDir = join(opts.dir, 'modules', opts.ref.org, opts.ref.name, opts.ref.version);
  let createdCache: string | undefined;
  try {
    say('extracting');
    await extractArtifact(fetched.artifact, staging);
    const manifest = await readModuleManifest(staging);
    if (!sameRef(manifestRef(manifest), opts.ref)) {
      throw new WardenError('WARDEN_E_SUBJECT_MISMATCH', `The artifact's server.json declares ${formatRef(manifestRef(manifest))}, not ${refText}.`, { where: 'server.json' });
    }
    const launch = moduleLaunch(manifest);
    const pkg = await packageJsonFacts(staging);
    const runScripts = Boolean(opts.allowScripts && pkg && pkg.installScripts.length > 0);
    // A module packed with its node_modules (`warden pack --include-deps`) brings its dependencies,
    // signed with it: nothing is fetched.
    const vendored = await lstat(join(staging, 'node_modules')).then((st) => st.isDirectory(), () => false);
    const offline = opts.depsNetwork !== 'registry';
    if (vendored && pkg?.hasDeps) say('dependencies are vendored in the artifact; nothing to download');
    throwIfInterrupted(opts.signal);
    if (pkg && ((pkg.hasDeps && !vendored) || runScripts)) {
      say(`installing dependencies in the sandbox (${runScripts ? `scripts allowed: ${pkg.installScripts.join(', ')}` : 'scripts disabled'})`);
      // A persistent npm cache makes repeat installs fast; it is only shared when no package code
      // runs (scripts off), so a hostile install script can never poison it for later installs.
      const cacheHome = runScripts ? undefined : join(opts.dir, 'cache', 'home');
      // A first install that fails must not leave the cache folder it created behind.
      if (cacheHome && (await mkdir(join(opts.dir, 'cache'), { recursive: true })) !== undefined) createdCache = join(opts.dir, 'cache');
      if (cacheHome) await mkdir(cacheHome, { recursive: true });
      // With the cache, --prefer-offline skips revalidating what the lockfile's integrity pins anyway.
      const npmArgs = [pkg.hasLockfile && !vendored ? 'ci' : 'install', '--omit=dev', '--no-audit', '--no-fund', '--no-update-notifier', ...(runScripts ? [] : ['--ignore-scripts']), ...(offline ? ['--offline'] : cacheHome && pkg.hasLockfile ? ['--prefer-offline'] : [])];
      const needsRegistry = pkg.hasDeps && !vendored && !offline;
      const running = runSandboxed({
        signal: opts.signal,
        command: 'npm',
        args: npmArgs,
        profile: needsRegistry ? 'registry-only' : 'no-network',
        registry: needsRegistry ? await npmRegistry() : undefined,
        moduleDir: staging,
        runsInstallScripts: runScripts,
        homeDir: cacheHome,
        allowUnsandboxed: opts.allowUnsandboxed,
        timeoutMs: 10 * 60_000,
      });
      void loadProbe();
      const res = await running;
      if (res.code !== 0) {
        const hint = offline
          ? ' Without network (the default), dependencies must be vendored in the artifact (warden pack --include-deps) or already in Warden\'s npm cache; to let the sandbox reach the npm registry (and nothing else), pass --deps-network registry or set WARDEN_DEPS_NETWORK=registry.'
          : '';
        throw new WardenError('WARDEN_E_INSTALL_DEPS', `Dependency installation failed in the sandbox (exit ${res.code}): ${res.stderr.trim().split('\n').slice(-3).join(' | ').slice(0, 500)}.${hint}`, { where: 'npm' });
      }
    } else if (pkg && pkg.installScripts.length > 0) {
      say(`not running install scripts (${pkg.installScripts.join(', ')}): pass --allow-scripts to run them in the sandbox`);
    }

    say('starting the server in the sandbox to pin its tools');
    const profile = opts.runProfile ?? 'no-network';
    const { probeTools } = await loadProbe();
    throwIfInterrupted(opts.signal);
    const tools = await probeTools(sandboxStarter({ command: launch.command, args: launch.args, moduleDir: staging, profile, passEnv: launch.envNames, allowUnsandboxed: opts.allowUnsandboxed, timeoutMs: 60_000, signal: opts.signal }), { label: refText });
    throwIfInterrupted(opts.signal);
    // Hashed after the server stopped, not while it starts: what a server writes into its own
    // folder on its first start (Python's __pycache__, a generated cache) must be pinned, or the
    // next `warden run` would see it as drift. With a read-only folder during the probe the two
    // could overlap, but such servers would then drift at run time; the overlap bought ~50 ms.
    const files = await hashTree(staging);
    throwIfInterrupted(opts.signal);

    await rm(finalDir, { recursive: true, force: true });
    await mkdir(join(finalDir, '..'), { recursive: true });
    await rename(staging, finalDir);
    const entry: LockEntry = {
      ref: refText,
      version: opts.ref.version,
      market: origin,
      digests: { sha256: digests.sha256, sha512: digests.sha512 },
      publisherKeyid: verified.publisherKeyid,
      marketKeyid: verified.marketKeyid,
      marketSignature: fetched.bundle.marketEnvelope,
      logIndex: Number.isInteger(verified.release.logIndex) ? verified.release.logIndex : null,
      path: join('modules', opts.ref.org, opts.ref.name, opts.ref.version),
      files,
      tools: pinTools(tools),
      launch: { command: launch.command, args: launch.args, env: launch.envNames, transport: 'stdio' },
      sandbox: { profile, installScripts: runScripts, deps: !pkg?.hasDeps ? 'none' : vendored ? 'vendored' : offline ? 'offline' : 'registry' },
      installedAt: new Date().toISOString(),
    };
    const previous = lock.modules[id];
    lock.modules[id] = entry;
    const seen = [opts.ref.version, verified.latestVersion, lock.highestSeen[id]].filter((v): v is string => Boolean(v) && semver.valid(v) !== null);
    lock.highestSeen[id] = seen.sort(semver.rcompare)[0]!;
    if (pinnedHow === 'first-use') lock.markets[origin] = { keyid: served.keyid, pem: served.pem, pinnedAt: new Date().toISOString() };
    try {
      await writeLock(opts.dir, lock);
    } catch (err) {
      await rm(finalDir, { recursive: true, force: true });
      throw err;
    }
    if (previous && previous.path !== entry.path) await rm(join(opts.dir, previous.path), { recursive: true, force: true });
    return { ref: refText, path: finalDir, entry, marketKeyPinned: pinnedHow };
  } catch (err) {
    if (createdCache) await rm(createdCache, { recursive: true, force: true });
    // A sandbox killed by the interrupt fails in its own way (npm exit, closed MCP stream): say why.
    throwIfInterrupted(opts.signal);
    throw err;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
