import type { Command } from 'commander';

type Registrar = (program: Command) => void;

/**
 * The command groups, in help order, with the top-level verbs each registers. A run loads only
 * the group of its verb: importing every group costs ~150 ms of start-up, which would be paid on
 * every `warden run` and `warden install`. test/cli/command-groups.test.ts keeps `verbs` equal to
 * what each group registers.
 */
export const COMMAND_GROUPS: ReadonlyArray<{ verbs: readonly string[]; load: () => Promise<Registrar> }> = [
  { verbs: ['keygen', 'pack', 'sign', 'verify'], load: async () => (await import('./develop.js')).registerDevelopCommands },
  { verbs: ['name'], load: async () => (await import('./name.js')).registerNameCommands },
  { verbs: ['scan'], load: async () => (await import('./scan.js')).registerScanCommands },
  { verbs: ['market', 'org', 'token', 'publish', 'status', 'review'], load: async () => (await import('./market.js')).registerMarketCommands },
  { verbs: ['install', 'run', 'approve', 'uninstall', 'audit'], load: async () => (await import('./install.js')).registerInstallCommands },
  { verbs: ['self-verify'], load: async () => (await import('./self-verify.js')).registerSelfVerifyCommand },
  { verbs: ['gateway'], load: async () => (await import('./gateway.js')).registerGatewayCommands },
];

/**
 * The groups a command line needs: its verb's group (the first word that is not a global
 * option); none for a bare --version; every group otherwise (help, or an unknown verb that
 * commander answers with "did you mean").
 */
export function groupsFor(args: readonly string[]): ReadonlyArray<(typeof COMMAND_GROUPS)[number]> {
  const verb = args.find((a) => !a.startsWith('-'));
  if (verb === undefined) return args.some((a) => a === '-V' || a === '--version') && !args.some((a) => a === '-h' || a === '--help') ? [] : COMMAND_GROUPS;
  const group = COMMAND_GROUPS.find((g) => g.verbs.includes(verb));
  return group ? [group] : COMMAND_GROUPS;
}
