export { launchSandboxed, runSandboxed, throwIfInterrupted, type SandboxOptions, type SandboxHandle, type SandboxExit, type RunOptions, type RunResult } from './launch.js';
export { SANDBOX_PROFILES, isProfileName, type SandboxProfile, type SandboxProfileName } from './profiles.js';
export { DEFAULT_SANDBOX_LIMITS, type SandboxLimits } from './limits.js';
export { detectSandboxTools } from './host.js';
export { startRegistryProxy, type AllowedEndpoint, type RegistryProxy } from './registry-proxy.js';
