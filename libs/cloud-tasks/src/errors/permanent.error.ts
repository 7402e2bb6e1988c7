/**
 * Throw from a processor when retrying cannot help (bad data, a deleted user…): the endpoint answers
 * 202 with `X-Job-Outcome: dead`, Cloud Tasks deletes the task, and the job is recorded as a dead letter.
 */
export class PermanentError extends Error {
  override readonly name = 'PermanentError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
