#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { WARDEN_VERSION } from '../core/version.js';
import { registerDevelopCommands } from './develop.js';
import { registerNameCommands } from './name.js';
import { registerScanCommands } from './scan.js';
import { registerGatewayCommands } from './gateway.js';
import { registerMarketCommands } from './market.js';
import { registerInstallCommands } from './install.js';
import { registerSelfVerifyCommand } from './self-verify.js';

export function buildProgram(): Command {
  const program = new Command('warden')
    .description(
      'Security governance for MCP servers: sign and verify modules, check names, scan code, run a verifying market, install in a sandbox, and gate servers at run time.',
    )
    .version(WARDEN_VERSION, '-V, --version')
    .option('--json', 'print machine-readable JSON on stdout (errors too)')
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      '\nExit codes: 0 success; 1 the check ran and said no; 2 bad usage or input.\n' +
        'Every verb has --help with examples. Docs: docs/quickstart.md, docs/formats.md, docs/errors.md',
    );
  program.exitOverride();
  registerDevelopCommands(program);
  registerNameCommands(program);
  registerScanCommands(program);
  registerMarketCommands(program);
  registerInstallCommands(program);
  registerSelfVerifyCommand(program);
  registerGatewayCommands(program);
  return program;
}

async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and version exit 0; usage errors are exit 2 per the CLI contract.
      process.exitCode = err.exitCode === 0 ? 0 : 2;
      return;
    }
    throw err;
  }
}

await main(process.argv);
