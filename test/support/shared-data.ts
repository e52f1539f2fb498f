import { SHARED_DIR } from './env';

/* Test-file helpers for the optional shared material (jest globals: never imported by global setup or the CLIs). */

function sharedOr<T>(run: T, skip: T): T {
  if (SHARED_DIR) return run;
  console.warn(
    'skipped: tests that read the shared public files (set OGP_SHARED_DIR to a folder holding sources/ and data/, or put it beside the checkout as shared/)',
  );
  return skip;
}

/** `describe` when the shared material is there, else `describe.skip`. */
export const describeWithShared = sharedOr(describe, describe.skip);
/** `it` when the shared material is there, else `it.skip`. */
export const itWithShared = sharedOr(it, it.skip);
