import type { Command } from 'commander';

// Placeholder until the gateway verbs land; the owning issue replaces this file.
export function registerGatewayCommands(_program: Command): void {}
