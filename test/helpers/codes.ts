import { expect } from 'vitest';
import { WardenError } from '../../src/core/errors.js';

/** The WardenError code `fn` throws (undefined when it does not throw); any other error fails. */
export function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(WardenError);
    expect((err as WardenError).message.length).toBeGreaterThan(10);
    return (err as WardenError).code;
  }
  return undefined;
}

/** The WardenError code a promise rejects with (undefined when it resolves). */
export async function asyncCodeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(WardenError);
    return (err as WardenError).code;
  }
  return undefined;
}
