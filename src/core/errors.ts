import { errorCodes, type WardenErrorCode, type ErrorKind } from './codes/index.js';

export { errorCodes, type WardenErrorCode, type ErrorKind };

export interface WardenErrorOptions {
  cause?: unknown;
  /** Where the problem is: a file path, a JSON pointer, a field name, `file:line`. */
  where?: string;
  /** Structured details safe to print or return over an API (never secrets). */
  details?: Record<string, unknown>;
}

/**
 * The one error type Warden throws on purpose. Callers switch on `code`, which is stable and
 * documented in docs/errors.md; `message` is for people and says what to do.
 */
export class WardenError extends Error {
  override readonly name = 'WardenError';
  readonly code: WardenErrorCode;
  readonly where: string | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: WardenErrorCode, message: string, options: WardenErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.where = options.where;
    this.details = options.details;
  }

  get kind(): ErrorKind {
    return errorCodes[this.code].kind;
  }

  /** CLI exit status: 1 when a check said no, 2 for bad input or internal faults. */
  get exitCode(): 1 | 2 {
    return this.kind === 'rejected' ? 1 : 2;
  }

  get httpStatus(): number {
    const info = errorCodes[this.code] as { http?: number };
    return info.http ?? (this.kind === 'rejected' ? 400 : 500);
  }

  toJSON(): Record<string, unknown> {
    return {
      code: this.code,
      message: this.message,
      ...(this.where !== undefined ? { where: this.where } : {}),
      ...(this.details !== undefined ? { details: this.details } : {}),
    };
  }
}

export function isWardenError(err: unknown, code?: WardenErrorCode): err is WardenError {
  return err instanceof WardenError && (code === undefined || err.code === code);
}

/** Wraps a filesystem error into WARDEN_E_IO with the path, keeping the original as cause. */
export function ioError(action: string, path: string, cause: unknown): WardenError {
  const reason = (cause as NodeJS.ErrnoException | undefined)?.code ?? (cause as Error | undefined)?.message ?? 'unknown error';
  return new WardenError('WARDEN_E_IO', `Cannot ${action} ${path}: ${reason}.`, { cause, where: path });
}
