import { WardenError } from '../core/errors.js';

/** Where the sandboxed command finds its HOME (a private tmpfs unless a host folder is given). */
export const SANDBOX_HOME = '/home/sandbox';
export const SANDBOX_USER = 'sandbox';
export const SANDBOX_UID = 65534;
export const SANDBOX_GID = 65534;
export const BASE_PATH = '/usr/local/bin:/usr/bin:/bin';

const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
/** Set by the launcher itself; callers cannot override them. */
const RESERVED = new Set(['HOME', 'USER', 'LOGNAME', 'TMPDIR']);

export interface EnvRequest {
  /** Explicit variables for the command. */
  env?: Record<string, string> | undefined;
  /** Names copied from `from` (the caller's environment) when set there: an allow-list. */
  passEnv?: readonly string[] | undefined;
  from?: NodeJS.ProcessEnv;
  /** Extra directory put in front of PATH (where the Node binary lives when outside /usr). */
  runtimeBin?: string | undefined;
  home: string;
  /** Install scripts are off unless the caller says this launch runs them. */
  scriptsAllowed: boolean;
  proxyUrl?: string | undefined;
}

/**
 * Builds the command's whole environment from scratch: a fixed base, the allow-listed names,
 * explicit values. Nothing else of the caller's environment (tokens, keys) reaches the sandbox.
 */
export function buildSandboxEnv(req: EnvRequest): Record<string, string> {
  const env: Record<string, string> = {
    PATH: req.runtimeBin ? `${req.runtimeBin}:${BASE_PATH}` : BASE_PATH,
    LANG: 'C.UTF-8',
  };
  const from = req.from ?? {};
  for (const name of req.passEnv ?? []) {
    checkName(name, 'passEnv');
    const value = from[name];
    if (value !== undefined) env[name] = value;
  }
  for (const [name, value] of Object.entries(req.env ?? {})) {
    checkName(name, 'env');
    if (typeof value !== 'string' || value.includes('\0')) {
      throw new WardenError('WARDEN_E_SANDBOX_OPTIONS', `Sandbox env ${name} must be a string without NUL bytes.`, { where: `env.${name}` });
    }
    env[name] = value;
  }
  if (!req.scriptsAllowed) {
    // npm, pnpm and yarn read these; pip has no switch for setup.py, so wheels only.
    env.npm_config_ignore_scripts = 'true';
    env.YARN_ENABLE_SCRIPTS = 'false';
    env.PIP_ONLY_BINARY = ':all:';
  }
  if (req.proxyUrl) {
    for (const k of ['HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy', 'npm_config_proxy', 'npm_config_https_proxy']) env[k] = req.proxyUrl;
    delete env.NO_PROXY;
    delete env.no_proxy;
  }
  env.HOME = req.home;
  env.USER = SANDBOX_USER;
  env.LOGNAME = SANDBOX_USER;
  env.TMPDIR = '/tmp';
  return env;
}

function checkName(name: string, field: string): void {
  if (!NAME.test(name)) {
    throw new WardenError('WARDEN_E_SANDBOX_OPTIONS', `${field} holds ${JSON.stringify(name).slice(0, 80)}, which is not an environment variable name.`, { where: field });
  }
  if (RESERVED.has(name)) {
    throw new WardenError('WARDEN_E_SANDBOX_OPTIONS', `${field} may not set ${name}; the sandbox sets it (HOME is sandbox-private).`, { where: `${field}.${name}` });
  }
}
