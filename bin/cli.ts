import { AppError, UserError } from '../services/shared/errors';

/**
 * Runs a command-line entry point: user-fixable problems print one line and exit 1 (no stack trace);
 * anything else is a bug and prints its stack.
 */
export function runMain(name: string, main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    if (error instanceof UserError || error instanceof AppError) {
      console.error(`[${name}] ${(error as Error).message}`);
    } else {
      console.error(`[${name}] unexpected error:`, error);
    }
    process.exit(1);
  });
}

/** Calls `stop` once on SIGINT or SIGTERM, then exits. */
export function onShutdown(stop: () => Promise<void>): void {
  let stopping = false;
  const handler = (signal: string) => {
    if (stopping) {
      console.log(`\n${signal} again: exiting now.`);
      process.exit(130);
    }
    stopping = true;
    console.log(`\n${signal}: shutting down (again to force) ...`);
    stop().then(
      () => process.exit(0),
      (error) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => handler('SIGINT'));
  process.on('SIGTERM', () => handler('SIGTERM'));
}
