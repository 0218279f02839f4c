/**
 * The child side of scanIsolated (isolated.ts): receives one scan request over IPC, runs it, sends
 * the report (or the error) back and exits. Progress is relayed as messages.
 */
import { scan, type InMemoryTarget, type ScanOptions } from './scan.js';
import { WardenError } from '../core/errors.js';

interface Request {
  target: string | InMemoryTarget;
  options: Omit<ScanOptions, 'onProgress'>;
  progress: boolean;
}

const send = (msg: unknown): Promise<void> => new Promise((resolve) => process.send!(msg, undefined, {}, () => resolve()));

process.once('message', (req: Request) => {
  void (async () => {
    try {
      const report = await scan(req.target, { ...req.options, ...(req.progress ? { onProgress: (p) => void send({ type: 'progress', progress: p }) } : {}) });
      await send({ type: 'report', report });
      process.exit(0);
    } catch (err) {
      const e = err instanceof WardenError ? { code: err.code, message: err.message, where: err.where } : { code: 'WARDEN_E_INTERNAL', message: `Unexpected error: ${(err as Error)?.message ?? String(err)}` };
      await send({ type: 'error', error: e });
      process.exit(1);
    }
  })();
});
