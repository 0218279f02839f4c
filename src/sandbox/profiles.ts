/**
 * Sandbox profiles as data. Every profile gets the same file-system and process confinement;
 * they differ in what the network namespace lets through.
 */
export type SandboxProfileName = 'no-network' | 'loopback' | 'registry-only';

export interface SandboxProfile {
  readonly name: SandboxProfileName;
  readonly description: string;
  /** `private` = a fresh network namespace whose only interface is its own loopback. */
  readonly network: 'private' | 'private+registry-proxy';
}

export const SANDBOX_PROFILES: Readonly<Record<SandboxProfileName, SandboxProfile>> = Object.freeze({
  'no-network': {
    name: 'no-network',
    description: 'No network at all: a fresh network namespace; nothing outside the sandbox is reachable, not even the host\'s 127.0.0.1.',
    network: 'private',
  },
  loopback: {
    name: 'loopback',
    description: 'Loopback only: the sandbox\'s own 127.0.0.1 (a server may talk to processes it starts); the host and the internet are unreachable.',
    network: 'private',
  },
  'registry-only': {
    name: 'registry-only',
    description: 'Only the package registry: no direct network; an HTTP proxy run by Warden outside the sandbox, reached through a Unix socket, forwards to the allow-listed registry host:port and refuses everything else.',
    network: 'private+registry-proxy',
  },
});

export function isProfileName(name: string): name is SandboxProfileName {
  return Object.hasOwn(SANDBOX_PROFILES, name);
}
