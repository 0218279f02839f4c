// Release build step: lists and hashes Warden's own files and signs the list, so that
// `warden self-verify --pub <release key>` detects a tampered installation.
//   node scripts/release-manifest.mjs --key RELEASE.key.pem [--root .]
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readPrivateKeyFile } from '../dist/core/key-files.js';
import { buildReleaseManifest, signReleaseManifest, RELEASE_MANIFEST_FILE } from '../dist/installer/self-verify.js';

const args = process.argv.slice(2);
const arg = (n) => (args.indexOf(n) >= 0 ? args[args.indexOf(n) + 1] : undefined);
const keyPath = arg('--key');
if (!keyPath) {
  console.error('usage: node scripts/release-manifest.mjs --key RELEASE.key.pem [--root DIR]');
  process.exit(2);
}
const root = resolve(arg('--root') ?? '.');
const manifest = await buildReleaseManifest(root);
const envelope = signReleaseManifest(manifest, await readPrivateKeyFile(keyPath));
writeFileSync(join(root, RELEASE_MANIFEST_FILE), JSON.stringify(envelope, null, 2) + '\n');
console.log(`${RELEASE_MANIFEST_FILE}: ${manifest.files.length} files of ${manifest.name}@${manifest.version}`);
