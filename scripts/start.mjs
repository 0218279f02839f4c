// `npm start` (after the build): a local market on http://127.0.0.1:8080 with its data in
// ./.warden-data. The first start initialises it and prints the admin token once.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist/cli/index.js');
const data = process.env.WARDEN_DATA ?? join(root, '.warden-data');
const port = process.env.PORT ?? '8080';

if (!existsSync(join(data, 'market.key.pem'))) {
  const init = spawnSync(process.execPath, [cli, '--json', 'market', 'init', '--data', data], { encoding: 'utf8' });
  if (init.status !== 0) {
    process.stderr.write(init.stderr || init.stdout);
    process.exit(init.status ?? 2);
  }
  const { adminToken } = JSON.parse(init.stdout);
  console.log(`Initialised a new market in ${data}.`);
  console.log('Admin token (shown only now; store it in a secret manager):');
  console.log(`  ${adminToken}`);
  console.log(`  export WARDEN_MARKET=http://127.0.0.1:${port} WARDEN_TOKEN=${adminToken}`);
}
const serve = spawn(process.execPath, [cli, 'market', 'serve', '--data', data, '--host', '127.0.0.1', '--port', port], { stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => serve.kill(sig));
serve.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
