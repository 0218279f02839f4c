import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { closeLogger, createLogger } from '../../src/gateway/observability.js';
import { Redactor } from '../../src/gateway/redact/redactor.js';

const redactor = new Redactor({ disable: [] });

describe('gateway log file', () => {
  it('closing right after creation waits for the file, writes what was logged and touches nothing afterwards', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'warden-log-'));
    const file = join(dir, 'nested', 'gateway.log');
    const log = createLogger(redactor, 'info', file);
    log.info({ n: 1 }, 'first line');
    await closeLogger(log);
    expect(readFileSync(file, 'utf8')).toContain('first line');
    rmSync(dir, { recursive: true, force: true });
    // A straggler after close (late upstream stderr) is dropped, not written to a removed folder.
    log.info('after close');
    await new Promise((r) => setTimeout(r, 50));
    expect(existsSync(dir)).toBe(false);
  });

  it('a log file that cannot be opened is reported on stderr instead of crashing the process', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'warden-log-'));
    const blocker = join(dir, 'not-a-folder');
    writeFileSync(blocker, 'x');
    const errors: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      errors.push(String(chunk));
      return true;
    });
    try {
      const log = createLogger(redactor, 'info', join(blocker, 'gateway.log'));
      log.info('lost line');
      await new Promise((r) => setTimeout(r, 100));
      await closeLogger(log);
    } finally {
      spy.mockRestore();
      rmSync(dir, { recursive: true, force: true });
    }
    expect(errors.join('')).toMatch(/warden gateway: cannot write the log file .*gateway\.log/);
  });
});
