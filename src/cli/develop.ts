import type { Command } from 'commander';

export function registerDevelopCommands(_program: Command): void {}
