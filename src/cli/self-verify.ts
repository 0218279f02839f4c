import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WardenError, ioError } from '../core/errors.js';
import { parseEnvelope } from '../core/dsse.js';
import { readPublicKeyFile } from '../core/key-files.js';
import { RELEASE_MANIFEST_FILE, verifyInstallation } from '../installer/self-verify.js';
import { action, emit } from './output.js';

/** The package root of the running Warden: dist/cli/ → ../../ */
const INSTALL_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function registerSelfVerifyCommand(program: Command): void {
  program
    .command('self-verify')
    .description('Check Warden\'s own installed files against its signed release manifest.')
    .requiredOption('--pub <file>', 'the Warden release public key, obtained out of band (never from the installation itself)')
    .option('--root <dir>', 'the Warden installation to check', INSTALL_ROOT)
    .option('--manifest <file>', `the signed manifest (default: <root>/${RELEASE_MANIFEST_FILE})`)
    .addHelpText(
      'after',
      `
A release build lists every file of dist/ and package.json with its sha256 and signs the list
(scripts/release-manifest.mjs). self-verify checks that signature with the key you give, then
re-hashes each file and reports changed, missing and unexpected (injected) files. Exit 1 when
anything differs. The key must come from somewhere an attacker who changed the installation
could not also change (the project's release page, your package mirror's pinned key).

Example:
  $ warden self-verify --pub warden-release.pub.pem`,
    )
    .action(
      action(async (opts: { pub: string; root: string; manifest?: string }, cmd: Command) => {
        const root = resolve(opts.root);
        const manifestPath = opts.manifest ?? join(root, RELEASE_MANIFEST_FILE);
        let text: Buffer;
        try {
          text = await readFile(manifestPath);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
            throw new WardenError('WARDEN_E_SELF_NO_MANIFEST', `No ${RELEASE_MANIFEST_FILE} in ${root}: this is not a signed Warden release.`, { where: manifestPath });
          }
          throw ioError('read', manifestPath, err);
        }
        const key = await readPublicKeyFile(opts.pub);
        const report = await verifyInstallation(root, parseEnvelope(text, manifestPath), [key]);
        if (!report.ok) {
          const list = (label: string, xs: string[]) => (xs.length ? `${label}: ${xs.slice(0, 5).join(', ')}${xs.length > 5 ? ` (+${xs.length - 5})` : ''}` : '');
          const what = [list('changed', report.changed), list('missing', report.missing), list('unexpected', report.unexpected)].filter(Boolean).join('; ');
          throw new WardenError('WARDEN_E_SELF_TAMPERED', `Warden ${report.version} at ${root} differs from its signed release: ${what}. Reinstall from a trusted source.`, { where: root, details: { ...report } });
        }
        emit(cmd.optsWithGlobals(), report, () => `Warden ${report.version}: ${report.checked} files match the release signed by ${report.keyid.slice(0, 16)}…`);
      }),
    );
}
