// `npm start`: placeholder entry until the market server lands; shows the CLI's help.
import { spawnSync } from 'node:child_process';
const r = spawnSync(process.execPath, ['dist/cli/index.js', '--help'], { stdio: 'inherit' });
process.exit(r.status ?? 1);
