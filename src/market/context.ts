import type { PrivateKeyInfo } from '../core/keys.js';
import type { StoreHandle } from './store/db.js';
import type { BlobStore } from './store/blobs.js';
import type { NamingStep } from './pipeline/naming-step.js';
import type { ScanStep } from './pipeline/scan-step.js';
import type { PublishPolicy } from './pipeline/types.js';

/** Everything a market operation needs, passed in explicitly (no globals). */
export interface MarketContext {
  store: StoreHandle;
  blobs: BlobStore;
  marketKey: PrivateKeyInfo;
  naming: NamingStep;
  scanner: ScanStep;
  policy: PublishPolicy;
  now: () => Date;
}
