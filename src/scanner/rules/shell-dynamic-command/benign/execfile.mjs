import { execFile, exec } from 'node:child_process';
const GIT = 'git';
export function status(dir) {
  exec('git --version');
  execFile(GIT, ['status', '--porcelain'], { cwd: dir });
}
