/**
 * The child side of scanIsolated (isolated.ts): receives one scan request over IPC, runs it, sends
 * the report (or the error) back and exits. Progress is relayed as messages; the file about to be
 * parsed is written synchronously to stderr, so that the parent knows which file a native crash
 * (which ends the process before any message could leave) happened in.
 */
import { writeSync } from 'node:fs';
import { scan, type InMemoryTarget, type ScanOptions } from './scan.js';
import { WardenError } from '../core/errors.js';
import { PARSE_MARKER } from './isolated.js';

interface Request {
  target: string | InMemoryTarget;
  options: Omit<ScanOptions, 'onProgress' | 'onParse'>;
  progress: boolean;
}

const send = (msg: unknown): Promise<void> => new Promise((resolve) => process.send!(msg, undefined, {}, () => resolve()));

// The parent went away (killed, crashed): stop scanning for nobody.
process.on('disconnect', () => process.exit(1));

process.once('message', (req: Request) => {
  void (async () => {
    try {
      const report = await scan(req.target, {
        ...req.options,
        onParse: (path) => writeSync(2, `${PARSE_MARKER}${path === undefined ? '' : JSON.stringify(path)}\n`),
        ...(req.progress ? { onProgress: (p) => void send({ type: 'progress', progress: p }) } : {}),
      });
      await send({ type: 'report', report });
      process.exit(0);
    } catch (err) {
      const e = err instanceof WardenError ? { code: err.code, message: err.message, where: err.where, details: err.details } : { code: 'WARDEN_E_INTERNAL', message: `Unexpected error: ${(err as Error)?.message ?? String(err)}` };
      await send({ type: 'error', error: e });
      process.exit(1);
    }
  })();
});
