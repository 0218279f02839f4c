import type { Command } from 'commander';

// Placeholder until the installer verbs land; the installer issue replaces this file.
export function registerInstallCommands(_program: Command): void {}
