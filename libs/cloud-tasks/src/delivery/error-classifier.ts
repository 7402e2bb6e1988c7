import { PermanentError } from '../errors/permanent.error.js';
import type { ErrorClass } from '../interfaces/module-options.interface.js';

/**
 * Default classification: `PermanentError` is permanent; everything else retries (RetryableError, network codes,
 * 429/5xx from a dependency, and any unknown error: losing a job to a transient bug is worse than retrying it).
 */
export function classifyError(error: unknown, custom?: (error: unknown) => ErrorClass | undefined): ErrorClass {
  const decided = custom?.(error);
  if (decided) return decided;
  return error instanceof PermanentError ? 'permanent' : 'retryable';
}
