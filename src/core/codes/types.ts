/**
 * How a failure maps to the CLI contract: `rejected` means the check ran and said no (exit 1),
 * `input` means the request itself was unusable (exit 2), `internal` a fault of ours (exit 2).
 */
export type ErrorKind = 'rejected' | 'input' | 'internal';

export interface CodeInfo {
  readonly kind: ErrorKind;
  /** One line for docs/errors.md: what it means and what to do. */
  readonly summary: string;
  /** HTTP status used when the error crosses an API. */
  readonly http?: number;
}

export type CodeTable = Readonly<Record<string, CodeInfo>>;
