/** Invalid options given to `startUpstashLocal` or the CLI. */
export class UpstashLocalConfigError extends Error {
  override readonly name = 'UpstashLocalConfigError';
}

/** A request the server refuses before or instead of running it; carries the HTTP status to answer. */
export class UpstashLocalHttpError extends Error {
  override readonly name = 'UpstashLocalHttpError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Redis could not be reached (connection down, command timed out): answered 503. */
export class RedisUnavailableError extends Error {
  override readonly name = 'RedisUnavailableError';
}
