import { WardenError } from '../core/errors.js';

/** Options every verb accepts. */
export interface GlobalOutputOptions {
  json?: boolean;
}

/** Writes a result: JSON (one document on stdout) when asked, human text otherwise. */
export function emit(opts: GlobalOutputOptions, json: unknown, human: () => string): void {
  if (opts.json) process.stdout.write(JSON.stringify(json, null, 2) + '\n');
  else {
    const text = human();
    if (text.length > 0) process.stdout.write(text.endsWith('\n') ? text : text + '\n');
  }
}

/** Progress and warnings go to stderr so that stdout stays machine-readable. */
export function note(message: string): void {
  process.stderr.write(message + '\n');
}

export function warn(message: string): void {
  process.stderr.write(`warning: ${message}\n`);
}

/** Prints an error the same way for every verb and returns the exit code to use. */
export function reportError(err: unknown, json: boolean): number {
  const werr =
    err instanceof WardenError
      ? err
      : new WardenError('WARDEN_E_INTERNAL', `Unexpected error: ${(err as Error)?.message ?? String(err)}`, { cause: err });
  if (json) process.stdout.write(JSON.stringify({ ok: false, error: werr.toJSON() }, null, 2) + '\n');
  const where = werr.where ? ` (at ${werr.where})` : '';
  process.stderr.write(`error ${werr.code}: ${werr.message}${where}\n`);
  if (werr.code === 'WARDEN_E_INTERNAL' && process.env.WARDEN_DEBUG) process.stderr.write(String((err as Error)?.stack) + '\n');
  return werr.exitCode;
}

/**
 * Wraps a verb's action: runs it, maps WardenError to the documented exit codes (0 ok, 1 said no,
 * 2 bad input). An action may return a number to choose its exit status (e.g. 1 when a check failed).
 */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<number | void> | number | void) {
  return async (...args: A): Promise<void> => {
    const cmd = args[args.length - 1] as { optsWithGlobals?: () => GlobalOutputOptions } | undefined;
    const json = Boolean(cmd?.optsWithGlobals?.().json);
    try {
      const code = await fn(...args);
      process.exitCode = typeof code === 'number' ? code : 0;
    } catch (err) {
      process.exitCode = reportError(err, json);
    }
  };
}
