/**
 * Throw from a processor for a transient failure: the endpoint answers 500 and Cloud Tasks retries with backoff.
 * On the final attempt the job is recorded as a dead letter.
 */
export class RetryableError extends Error {
  override readonly name = 'RetryableError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
