import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
const key = readFileSync(join(homedir(), '.ssh', 'id_rsa'), 'utf8');
