const { execFile } = require('child_process');
if (process.env.DEBUG) console.log('debug on');
execFile('git', ['status']);
