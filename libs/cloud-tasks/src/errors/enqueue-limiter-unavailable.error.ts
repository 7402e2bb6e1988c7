/**
 * An {@link EnqueueLimiter} could not reach its store (an error, or no answer within its timeout). Thrown by limiters,
 * caught by `add()`, where the limit's `failMode` decides: enqueue without the limit (`open`) or refuse the job with
 * `EnqueueRateLimitUnavailableError` (`closed`). Throw it (or any error) from a limiter of your own.
 */
export class EnqueueLimiterUnavailableError extends Error {
  override readonly name = 'EnqueueLimiterUnavailableError';
}
