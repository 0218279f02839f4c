#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { WARDEN_VERSION } from '../core/version.js';

import { COMMAND_GROUPS, groupsFor } from './command-groups.js';

/** The program with the command groups `args` needs (see command-groups.ts). */
export async function buildProgram(args: readonly string[] = []): Promise<Command> {
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
  for (const g of groupsFor(args)) (await g.load())(program);
  return program;
}

// `warden ... | head`: a reader that goes away is not an error worth a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

async function main(argv: string[]): Promise<void> {
  const program = await buildProgram(argv.slice(2));
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
