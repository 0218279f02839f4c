if (process.execArgv.some((a) => a.startsWith('--inspect'))) process.exit(0);
