import type { Command } from 'commander';

// Placeholder until the scan verbs land; the owning issue replaces this file.
export function registerScanCommands(_program: Command): void {}
