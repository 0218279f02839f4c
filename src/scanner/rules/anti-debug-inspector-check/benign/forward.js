const { fork } = require('child_process');
const execArgv = process.execArgv.filter((a) => !a.startsWith('--inspect'));
fork('worker.js', [], { execArgv });
if (process.argv.includes('--help')) process.exit(0);
