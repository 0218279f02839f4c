import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where Warden keeps warden.lock and installed modules unless `--dir` says otherwise. */
export const DEFAULT_WARDEN_DIR = join(homedir(), '.warden');
