const { execFile } = require('child_process');
for (let attempt = 0; attempt < 3; attempt++) {
  execFile('git', ['fetch']);
}
if (process.platform === 'win32') execFile('cmd.exe', ['/c', 'ver']);
