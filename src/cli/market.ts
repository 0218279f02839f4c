import type { Command } from 'commander';

// Placeholder until the market verbs land; the market issue replaces this file.
export function registerMarketCommands(_program: Command): void {}
