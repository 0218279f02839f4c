import { join } from 'node:path';
import { readPrivateKeyFile, writeNewKeyPair } from '../../core/key-files.js';
import type { PrivateKeyInfo } from '../../core/keys.js';

export const MARKET_KEY_NAME = 'market';

export function marketKeyPath(dataDir: string): string {
  return join(dataDir, `${MARKET_KEY_NAME}.key.pem`);
}

/** Creates the market's Ed25519 signing key in the data folder (0600); never overwrites. */
export async function createMarketKey(dataDir: string): Promise<{ keyid: string }> {
  const res = await writeNewKeyPair(dataDir, MARKET_KEY_NAME);
  return { keyid: res.keyid };
}

export async function loadMarketKey(dataDir: string): Promise<PrivateKeyInfo> {
  return readPrivateKeyFile(marketKeyPath(dataDir));
}
