import { expect } from 'vitest';
import { ScanError } from '../../electron/core/errors';

/** The ScanError a call ends with (the test fails if it succeeds or throws anything else). */
export async function failure(p: Promise<unknown>): Promise<ScanError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ScanError);
  return err as ScanError;
}
