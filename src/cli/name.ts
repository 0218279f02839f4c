import type { Command } from 'commander';

// Placeholder until the name verbs land; the owning issue replaces this file.
export function registerNameCommands(_program: Command): void {}
