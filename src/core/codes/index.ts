import { coreCodes } from './core.js';
import { namingCodes } from './naming.js';
import { scannerCodes } from './scanner.js';
import { marketCodes } from './market.js';
import { installerCodes } from './installer.js';
import { gatewayCodes } from './gateway.js';
import { clientCodes } from './clients.js';
import { releaseCodes } from './release.js';
import { installVerifyCodes } from './install-verify.js';
import type { CodeInfo } from './types.js';

export type { CodeInfo, ErrorKind } from './types.js';

/** Every error code Warden can emit. Each area owns its own table; docs/errors.md lists them all. */
export const errorCodes = {
  ...coreCodes,
  ...namingCodes,
  ...scannerCodes,
  ...marketCodes,
  ...installerCodes,
  ...gatewayCodes,
  ...clientCodes,
  ...releaseCodes,
  ...installVerifyCodes,
} as const satisfies Record<string, CodeInfo>;

export type WardenErrorCode = keyof typeof errorCodes;
